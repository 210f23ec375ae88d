// berth build [OPTIONS] PATH | - : sends the context to POST /build and prints the classic builder's
// output as the docker CLI does (stream text as is; an error to stderr with its status as exit code).
import { writeFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { JsonMessage } from '../../../api/types.js';
import { humanSize } from '../../../api/units.js';
import { jsonMessages, type EngineClient, type Query } from '../../../client/client.js';
import { defineCommand, StatusError, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';
import { renderProgress } from '../../progress/json-progress.js';
import { contextFromDir, contextFromStdin, localContextDir, type BuildContextStream } from './build-context.js';

export const buildCommand = defineCommand({
  name: 'build',
  usage: 'build [OPTIONS] PATH | URL | -',
  short: 'Build an image from a Dockerfile',
  args: { exact: 1 },
  flags: [
    { name: 'add-host', type: 'stringArray', valueName: 'list', usage: 'Add a custom host-to-IP mapping ("host:ip")' },
    { name: 'build-arg', type: 'stringArray', valueName: 'list', usage: 'Set build-time variables' },
    { name: 'cache-from', type: 'stringSlice', usage: 'Images to consider as cache sources' },
    { name: 'cgroup-parent', type: 'string', usage: 'Set the parent cgroup for the "RUN" instructions during build' },
    { name: 'compress', type: 'bool', usage: 'Compress the build context using gzip' },
    { name: 'cpu-period', type: 'int', usage: 'Limit the CPU CFS (Completely Fair Scheduler) period' },
    { name: 'cpu-quota', type: 'int', usage: 'Limit the CPU CFS (Completely Fair Scheduler) quota' },
    { name: 'cpu-shares', short: 'c', type: 'int', usage: 'CPU shares (relative weight)' },
    { name: 'cpuset-cpus', type: 'string', usage: 'CPUs in which to allow execution (0-3, 0,1)' },
    { name: 'cpuset-mems', type: 'string', usage: 'MEMs in which to allow execution (0-3, 0,1)' },
    { name: 'disable-content-trust', type: 'bool', default: true, usage: 'Skip image verification' },
    { name: 'file', short: 'f', type: 'string', usage: 'Name of the Dockerfile (Default is "PATH/Dockerfile")' },
    { name: 'force-rm', type: 'bool', usage: 'Always remove intermediate containers' },
    { name: 'iidfile', type: 'string', usage: 'Write the image ID to the file' },
    { name: 'isolation', type: 'string', usage: 'Container isolation technology' },
    { name: 'label', type: 'stringArray', valueName: 'list', usage: 'Set metadata for an image' },
    { name: 'memory', short: 'm', type: 'bytes', usage: 'Memory limit' },
    { name: 'memory-swap', type: 'bytes', usage: 'Swap limit equal to memory plus swap: -1 to enable unlimited swap' },
    { name: 'network', type: 'string', default: 'default', usage: 'Set the networking mode for the RUN instructions during build' },
    { name: 'no-cache', type: 'bool', usage: 'Do not use cache when building the image' },
    { name: 'platform', type: 'string', usage: 'Set platform if server is multi-platform capable' },
    { name: 'pull', type: 'bool', usage: 'Always attempt to pull a newer version of the image' },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Suppress the build output and print image ID on success' },
    { name: 'rm', type: 'bool', default: true, usage: 'Remove intermediate containers after a successful build' },
    { name: 'security-opt', type: 'stringSlice', usage: 'Security options' },
    { name: 'shm-size', type: 'bytes', usage: 'Size of "/dev/shm"' },
    { name: 'tag', short: 't', type: 'stringArray', valueName: 'list', usage: 'Name and optionally a tag in the "name:tag" format' },
    { name: 'target', type: 'string', usage: 'Set the target build stage to build.' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const [contextArg] = args;
    const file = opts.file as string;
    if (contextArg === '-' && file === '-') throw new Error('invalid argument: can\'t use stdin for both build context and dockerfile');
    if (/^(https?|git):\/\/|^git@/.test(contextArg)) throw new Error(`unable to prepare context: remote build contexts are not supported: ${contextArg}`);
    // berthd on this host reads the directory in place: nothing to send, and unchanged files are not
    // even read again. BERTH_BUILD_CONTEXT=tar sends a tar as the docker CLI does.
    const local = contextArg !== '-' && file !== '-' && ctx.env.BERTH_BUILD_CONTEXT !== 'tar' ? await localContextDir(contextArg, file) : undefined;
    if (local && (await ctx.getClient<EngineClient>()).buildContextDir) {
      return runBuild(ctx, opts, { ...buildQuery(opts, local.dockerfile, ctx.env), contextdir: local.root }, Readable.from([]));
    }
    let context: BuildContextStream;
    if (contextArg === '-') {
      context = await contextFromStdin(ctx.io.stdin as Readable);
      if (file) context.dockerfile = file;
    } else {
      const stdinDockerfile = file === '-' ? await readAll(ctx.io.stdin as Readable) : undefined;
      context = await contextFromDir(contextArg, file === '-' ? '' : file, stdinDockerfile);
    }
    const counted = countBytes(opts.compress ? context.stream.pipe(createGzip()) : context.stream);
    const sending = () => `Sending build context to Docker daemon  ${humanSize(counted.bytes(), 4)}\r\r\n`;
    return runBuild(ctx, opts, buildQuery(opts, context.dockerfile, ctx.env), counted.stream, sending);
  },
});

/** POST /build with the context `body`, its output shown as the docker CLI shows it. */
async function runBuild(ctx: CommandContext, opts: FlagValues, query: Query, body: Readable, sending?: () => string): Promise<void> {
  const quiet = opts.quiet as boolean;
  const client = await ctx.getClient<EngineClient>();
  const held: string[] = [];
  const show = (text: string) => (quiet ? held.push(text) : ctx.io.stdout.write(text));
  let imageId = '';
  const sent = () => sending && show(sending());
  try {
    const response = await client.imageBuild(query, body).catch((err) => {
      sent();
      if (quiet) ctx.io.stderr.write(held.join(''));
      throw err;
    });
    sent();
    for await (const m of jsonMessages(response)) {
      if (m.errorDetail || m.error) {
        if (quiet) ctx.io.stderr.write(held.join(''));
        throw new StatusError(m.errorDetail?.message ?? m.error ?? '', m.errorDetail?.code || 1);
      }
      if (m.aux && typeof (m.aux as { ID?: unknown }).ID === 'string') imageId = (m.aux as { ID: string }).ID;
      if (m.stream) {
        if (quiet) {
          if (/^sha256:[0-9a-f]{64}\n$/.test(m.stream)) imageId = m.stream.trim();
          else held.push(m.stream);
        } else ctx.io.stdout.write(m.stream);
      } else if (m.status && !quiet) ctx.io.stdout.write(statusLine(m));
    }
  } catch (err) {
    if (err instanceof StatusError) throw err;
    throw new Error(describe(err));
  }
  if (quiet) ctx.io.stdout.write(`${imageId}\n`);
  if (opts.iidfile) writeFileSync(opts.iidfile as string, imageId);
}

/** The query POST /build takes, from the flags (docker's imageBuildOptionsToQuery). */
function buildQuery(opts: FlagValues, dockerfile: string, env: Record<string, string | undefined>): Record<string, string | string[] | undefined> {
  const buildArgs: Record<string, string | null> = {};
  for (const kv of opts['build-arg'] as string[]) {
    const eq = kv.indexOf('=');
    if (eq >= 0) buildArgs[kv.slice(0, eq)] = kv.slice(eq + 1);
    else buildArgs[kv] = env[kv] ?? null;
  }
  const labels: Record<string, string> = {};
  for (const kv of opts.label as string[]) {
    const eq = kv.indexOf('=');
    labels[eq >= 0 ? kv.slice(0, eq) : kv] = eq >= 0 ? kv.slice(eq + 1) : '';
  }
  const num = (name: string) => ((opts[name] as number) ? String(opts[name]) : undefined);
  return {
    t: opts.tag as string[],
    dockerfile: dockerfile || undefined,
    q: opts.quiet ? '1' : undefined,
    nocache: opts['no-cache'] ? '1' : undefined,
    rm: opts.rm ? '1' : '0',
    forcerm: opts['force-rm'] ? '1' : undefined,
    pull: opts.pull ? '1' : undefined,
    target: (opts.target as string) || undefined,
    networkmode: opts.network as string,
    buildargs: JSON.stringify(buildArgs),
    labels: JSON.stringify(labels),
    cachefrom: JSON.stringify(opts['cache-from']),
    platform: (opts.platform as string) || undefined,
    shmsize: num('shm-size'),
    memory: num('memory'),
    memswap: num('memory-swap'),
    cpushares: num('cpu-shares'),
    cpuperiod: num('cpu-period'),
    cpuquota: num('cpu-quota'),
    cpusetcpus: (opts['cpuset-cpus'] as string) || undefined,
    cpusetmems: (opts['cpuset-mems'] as string) || undefined,
    cgroupparent: (opts['cgroup-parent'] as string) || undefined,
    version: '1',
  };
}

/** A base image pull's message as docker shows it off a terminal: "<id>: <status>", byte progress left out. */
function statusLine(m: JsonMessage): string {
  if (m.progressDetail && renderProgress(m.progressDetail, 200) !== '') return '';
  return `${m.id ? `${m.id}: ` : ''}${m.status}${m.progress ? ` ${m.progress}` : ''}\n`;
}

function countBytes(stream: Readable): { stream: Readable; bytes: () => number } {
  let n = 0;
  const pass = new PassThrough({ highWaterMark: 1 << 20 });
  stream.on('data', (c: Buffer) => (n += c.length));
  stream.on('error', (err) => pass.destroy(err));
  stream.pipe(pass);
  return { stream: pass, bytes: () => n };
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
