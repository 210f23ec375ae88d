// The flags `run` and `create` share, and how they become a create request.
import { readFileSync } from 'node:fs';
import type { CreateRequest } from '../../../api/types.js';
import type { FlagDef, FlagValues } from '../../flags.js';
import { applyLifecycleFlags, LIFECYCLE_FLAGS } from './lifecycle-options.js';
import { applyResourceFlags, RESOURCE_FLAGS } from './resource-options.js';

export const CREATE_FLAGS: FlagDef[] = [
  ...RESOURCE_FLAGS,
  ...LIFECYCLE_FLAGS,
  { name: 'attach', short: 'a', type: 'stringArray', valueName: 'list', usage: 'Attach to STDIN, STDOUT or STDERR' },
  { name: 'entrypoint', type: 'string', usage: 'Overwrite the default ENTRYPOINT of the image' },
  { name: 'env', short: 'e', type: 'stringArray', valueName: 'list', usage: 'Set environment variables' },
  { name: 'env-file', type: 'stringArray', valueName: 'list', usage: 'Read in a file of environment variables' },
  { name: 'hostname', short: 'h', type: 'string', usage: 'Container host name' },
  { name: 'init', type: 'bool', usage: 'Run an init inside the container that forwards signals and reaps processes' },
  { name: 'interactive', short: 'i', type: 'bool', usage: 'Keep STDIN open even if not attached' },
  { name: 'label', short: 'l', type: 'stringArray', valueName: 'list', usage: 'Set meta data on a container' },
  { name: 'label-file', type: 'stringArray', valueName: 'list', usage: 'Read in a line delimited file of labels' },
  { name: 'log-driver', type: 'string', usage: 'Logging driver for the container' },
  { name: 'log-opt', type: 'stringArray', valueName: 'list', usage: 'Log driver options' },
  { name: 'name', type: 'string', usage: 'Assign a name to the container' },
  { name: 'network', type: 'string', valueName: 'network', default: 'default', usage: 'Connect a container to a network', defaultText: '' },
  { name: 'read-only', type: 'bool', usage: "Mount the container's root filesystem as read only" },
  { name: 'restart', type: 'string', default: 'no', usage: 'Restart policy to apply when a container exits' },
  { name: 'rm', type: 'bool', usage: 'Automatically remove the container and its associated anonymous volumes when it exits' },
  { name: 'runtime', type: 'string', usage: 'Runtime to use for this container' },
  { name: 'stop-signal', type: 'string', usage: 'Signal to stop the container' },
  { name: 'stop-timeout', type: 'int', usage: 'Timeout (in seconds) to stop a container' },
  { name: 'tty', short: 't', type: 'bool', usage: 'Allocate a pseudo-TTY' },
  { name: 'user', short: 'u', type: 'string', usage: 'Username or UID (format: <name|uid>[:<group|gid>])' },
  { name: 'workdir', short: 'w', type: 'string', usage: 'Working directory inside the container' },
];

/** `-e VAR` takes VAR from our environment, and is dropped when unset (as Docker does). */
export function parseEnv(list: string[], env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  for (const item of list) {
    if (item.includes('=')) {
      if (item.startsWith('=')) throw new Error(`invalid environment variable: ${item}`);
      out.push(item);
    } else if (env[item] !== undefined) {
      out.push(`${item}=${env[item]}`);
    }
  }
  return out;
}

/** Docker's env-file format: KEY=VALUE or KEY lines, # comments, blank lines. */
export function parseEnvFile(file: string, env: Record<string, string | undefined>): string[] {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const [key] = line.split('=', 1);
    if (/\s/.test(key)) throw new Error(`variable '${key}' contains whitespaces`);
    out.push(...parseEnv([line], env));
  }
  return out;
}

function parseLabels(list: string[], files: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  const lines = [...files.flatMap((f) => readFileSync(f, 'utf8').split(/\r?\n/).filter((l) => l.trim() && !l.startsWith('#'))), ...list];
  for (const l of lines) {
    const eq = l.indexOf('=');
    if (eq < 0) labels[l] = '';
    else labels[l.slice(0, eq)] = l.slice(eq + 1);
  }
  return labels;
}

/** docker's parseLoggingOpts: key=value pairs (a bare key means an empty value); none takes no options. */
function logConfig(driver: string, list: string[]): { Type: string; Config: Record<string, string> } {
  if (driver === 'none' && list.length > 0) throw new Error(`invalid logging opts for driver ${driver}`);
  const config: Record<string, string> = {};
  for (const kv of list) {
    const eq = kv.indexOf('=');
    if (eq < 0) config[kv] = '';
    else config[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return { Type: driver, Config: config };
}

/** name[:count]; the daemon judges the name and count, in Docker's words, as with the docker CLI. */
function restartPolicy(value: string): { Name: 'no' | 'always' | 'unless-stopped' | 'on-failure'; MaximumRetryCount: number } {
  const [name, count] = value.split(':');
  const retries = count === undefined ? 0 : Number(count);
  if (!Number.isInteger(retries)) throw new Error(`invalid restart policy format: maximum retry count must be an integer`);
  return { Name: (name || 'no') as 'no', MaximumRetryCount: retries };
}

export function toCreateRequest(
  opts: FlagValues,
  image: string,
  command: string[],
  detach: boolean,
  env: Record<string, string | undefined>,
  changed: ReadonlySet<string> = new Set(),
): CreateRequest {
  const envFiles = (opts['env-file'] as string[]).flatMap((f) => parseEnvFile(f, env));
  const attach = opts.attach as string[];
  const interactive = Boolean(opts.interactive);
  const entrypoint = opts.entrypoint as string;
  const req: CreateRequest = {
    Hostname: (opts.hostname as string) || '',
    User: (opts.user as string) || '',
    AttachStdin: interactive && !detach,
    AttachStdout: !detach && (attach.length === 0 || attach.includes('stdout')),
    AttachStderr: !detach && (attach.length === 0 || attach.includes('stderr')),
    Tty: Boolean(opts.tty),
    OpenStdin: interactive,
    StdinOnce: interactive && !detach,
    Env: [...envFiles, ...parseEnv(opts.env as string[], env)],
    Cmd: command.length ? command : null,
    Image: image,
    WorkingDir: (opts.workdir as string) || '',
    // `--entrypoint ""` resets the image's entrypoint: an empty list, not null.
    Entrypoint: entrypoint !== '' ? [entrypoint] : changed.has('entrypoint') ? [] : null,
    Labels: parseLabels(opts.label as string[], opts['label-file'] as string[]),
    StopSignal: (opts['stop-signal'] as string) || undefined,
    HostConfig: {
      NetworkMode: opts.network as string,
      RestartPolicy: restartPolicy(opts.restart as string),
      AutoRemove: Boolean(opts.rm),
      ReadonlyRootfs: Boolean(opts['read-only']),
      Init: opts.init ? true : null,
      Runtime: (opts.runtime as string) || undefined,
      LogConfig: logConfig((opts['log-driver'] as string) || '', opts['log-opt'] as string[]),
    },
  };
  if (opts['stop-timeout'] !== 0) req.StopTimeout = opts['stop-timeout'] as number;
  applyResourceFlags(req, opts, changed);
  applyLifecycleFlags(req, opts, changed);
  return req;
}
