// RUN: the command runs in a container on the parent image, its output streamed, and the container's
// changes become the new layer. The cache key is the command with the build args in scope prepended
// ("|1 X=5 /bin/sh -c …", moby prependEnvOnCmd), so a --build-arg change re-runs only the RUNs after its
// ARG. BuildKit's additions: heredocs, --mount=type=cache|tmpfs and --network.
import { StringDecoder } from 'node:string_decoder';
import type { RunCommand, RunMount } from '../dockerfile/instructions/commands.js';
import { expandRunMounts } from '../dockerfile/instructions/parse-run.js';
import { chompHeredocContent, parseHeredoc } from '../dockerfile/parser/heredoc.js';
import type { BuildArgs } from '../dockerfile/build-args.js';
import type { CacheMount, RunContainerRequest } from './backend.js';
import { imageRunConfig, probeCache, type DispatchRequest } from './dispatch-request.js';
import { copyRunConfig, dockerConfigShape, getShell, goSlice } from './run-config.js';
import { BuildStepError } from './step-error.js';
import type { ContainerConfig } from '../../api/types.js';

/** Where a heredoc script with a shebang is put for the run (BuildKit uses /dev/pipes, a tmpfs here). */
const HEREDOC_DIR = '/.berth-heredoc';

export async function dispatchRun(req: DispatchRequest, c: RunCommand, expand: (word: string) => string): Promise<void> {
  const s = req.state;
  const rc = s.runConfig;
  const files: RunContainerRequest['files'] = {};
  const cmdFromArgs = runCommandLine(c, rc, files);
  const mounts = expandRunMounts(c, expand);
  checkMountTypes(mounts);
  const buildArgs = s.buildArgs.filterAllowed(rc.Env ?? []);
  const network = c.network === 'default' ? req.opts.network : c.network;

  let saveCmd = [...mounts.map(mountWord), ...(c.network !== 'default' ? [`--network=${c.network}`] : []), ...cmdFromArgs];
  if (buildArgs.length > 0) saveCmd = prependEnvOnCmd(s.buildArgs, buildArgs, saveCmd);
  const probe = copyRunConfig(rc, { Cmd: saveCmd, Image: s.imageId });
  if (saveCmd.length > 0) probe.Entrypoint = null;
  if (await probeCache(req, probe)) return;

  const runConfig: ContainerConfig = copyRunConfig(rc, {
    Cmd: cmdFromArgs,
    Env: [...(rc.Env ?? []), ...buildArgs],
    Entrypoint: [],
    Healthcheck: { Test: ['NONE'] },
    Image: s.imageId,
  });
  const id = await req.backend.createContainer({
    image: s.imageId,
    config: runConfig,
    network,
    cacheMounts: mounts.filter((m) => m.type === 'cache').map((m) => cacheMount(m, rc.WorkingDir ?? '/')),
    resources: req.opts.resources ?? {},
    tmpfs: Object.fromEntries(mounts.filter((m) => m.type === 'tmpfs').map((m) => [m.target!, m.sizeLimit ? `size=${m.sizeLimit}` : ''])),
    files,
  });
  req.out.runningIn(id);
  req.containers.push({ id, real: true });
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  const code = await req.backend.runContainer(
    id,
    (stream, chunk) => {
      const text = decoders[stream].write(chunk);
      if (stream === 'stdout') req.out.stdout(text);
      else req.out.stderr(text);
    },
    req.opts.signal,
  );
  req.out.stdout(decoders.stdout.end());
  req.out.stderr(decoders.stderr.end());
  if (code !== 0) {
    throw new BuildStepError(`The command '${cmdFromArgs.join(' ')}' returned a non-zero code: ${code}`, code);
  }
  s.image = await req.backend.commitContainer(id, s.image, {
    config: imageRunConfig(s),
    containerConfig: dockerConfigShape({ ...probe, Hostname: id.slice(0, 12) }),
    container: id,
    author: s.maintainer || undefined,
  });
}

/**
 * The argv RUN runs. A heredoc that is the whole command runs as the shell's script (a shebang one as a
 * file of its own); heredocs inside a longer command are handed to the shell as written (BuildKit).
 */
export function runCommandLine(c: RunCommand, rc: ContainerConfig, files: RunContainerRequest['files']): string[] {
  let args = c.cmdLine ?? [];
  if (c.files.length > 0) {
    if (args.length !== 1 || !c.prependShell) throw new Error(`parsing produced an invalid run command: ${goSlice(args)}`);
    const body = (i: number) => (c.files[i].chomp ? chompHeredocContent(c.files[i].data) : c.files[i].data);
    const doc = parseHeredocQuiet(args[0]);
    if (doc) {
      const data = body(0);
      if (data.startsWith('#!')) {
        const target = `${HEREDOC_DIR}/${c.files[0].name}`;
        files[target] = { data, mode: 0o755 };
        args = [target];
      } else {
        args = [data];
      }
    } else {
      let full = args[0];
      c.files.forEach((f, i) => (full += `\n${body(i)}${f.name}`));
      args = [full];
    }
  }
  return c.prependShell ? [...getShell(rc), ...args] : [...args];
}

function parseHeredocQuiet(word: string) {
  try {
    return parseHeredoc(word);
  } catch {
    return undefined;
  }
}

/** "|N K=v…" before the command: the args in scope that are not plain proxy settings, sorted. */
export function prependEnvOnCmd(buildArgs: BuildArgs, vars: readonly string[], cmd: readonly string[]): string[] {
  const kept = vars.filter((kv) => buildArgs.isReferencedOrNotBuiltin(kv.split('=')[0])).sort();
  return [`|${kept.length}`, ...kept, ...cmd];
}

function mountWord(m: RunMount): string {
  const parts = [`type=${m.type}`];
  if (m.cacheId && m.cacheId !== m.target) parts.push(`id=${m.cacheId}`);
  if (m.target) parts.push(`target=${m.target}`);
  if (m.cacheSharing && m.cacheSharing !== 'shared') parts.push(`sharing=${m.cacheSharing}`);
  if (m.type === 'cache' && m.readOnly) parts.push('ro');
  if (m.mode !== undefined) parts.push(`mode=${m.mode.toString(8)}`);
  if (m.uid !== undefined) parts.push(`uid=${m.uid}`);
  if (m.gid !== undefined) parts.push(`gid=${m.gid}`);
  if (m.sizeLimit !== undefined) parts.push(`size=${m.sizeLimit}`);
  return `--mount=${parts.join(',')}`;
}

function cacheMount(m: RunMount, workdir: string): CacheMount {
  if (!m.target) throw new Error('mount target is required');
  const target = m.target.startsWith('/') ? m.target : `${workdir.replace(/\/$/, '')}/${m.target}`;
  return {
    id: m.cacheId || target,
    target,
    readOnly: m.readOnly,
    sharing: m.cacheSharing ?? 'shared',
    mode: m.mode ?? 0o755,
    uid: m.uid ?? 0,
    gid: m.gid ?? 0,
  };
}

/** Mount types the builder can give a RUN; the others are refused before anything runs. */
export function checkMountTypes(mounts: readonly RunMount[]): void {
  for (const m of mounts) {
    if (m.type !== 'cache' && m.type !== 'tmpfs') throw new Error(`RUN --mount=type=${m.type} is not supported by this builder (cache and tmpfs are)`);
    if (m.type === 'tmpfs' && !m.target) throw new Error('mount target is required');
  }
}
