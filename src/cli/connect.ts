// Finds the daemon (-H, then BERTH_HOST, then DOCKER_HOST, then the default
// socket) and starts berthd when nothing answers on the default socket.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineClient } from '../client/client.js';
import type { GlobalOptions } from './command.js';

/** The default socket; BERTH_DEFAULT_SOCKET moves it (and the auto-started daemon's exec root) for tests. */
export function defaultSocket(env: Record<string, string | undefined>): string {
  return env.BERTH_DEFAULT_SOCKET || '/run/berth/berth.sock';
}

export function resolveHost(globals: Pick<GlobalOptions, 'hosts'>, env: Record<string, string | undefined>): string {
  return globals.hosts.at(-1) || env.BERTH_HOST || env.DOCKER_HOST || `unix://${defaultSocket(env)}`;
}

export function socketPathOf(host: string): string {
  if (host.startsWith('unix://')) return host.slice('unix://'.length);
  if (host.startsWith('/')) return host;
  throw new Error(`unsupported host "${host}": berth connects over unix sockets (unix:///path)`);
}

/** A client that has pinged the daemon (negotiating the API version). */
export async function connect(globals: GlobalOptions, env: Record<string, string | undefined>, stderr: NodeJS.WritableStream): Promise<EngineClient> {
  const socket = socketPathOf(resolveHost(globals, env));
  const client = new EngineClient(socket);
  try {
    await client.ping();
    return client;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const down = code === 'ENOENT' || code === 'ECONNREFUSED';
    if (!down || socket !== defaultSocket(env)) throw cannotConnect(socket);
  }
  const { pid, log } = startDaemon(socket, env);
  stderr.write(`berth: no daemon was running; started berthd (pid ${pid}, log ${log})\n`);
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await client.ping();
      return client;
    } catch {
      if (Date.now() > deadline) throw cannotConnect(socket);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

function cannotConnect(socket: string): Error {
  return new Error(`Cannot connect to the berth daemon at unix://${socket}. Is the berth daemon running?`);
}

/** Starts berthd detached on `socket`, its exec root beside it; BERTH_DATA_ROOT picks the data root. */
function startDaemon(socket: string, env: Record<string, string | undefined>): { pid: number; log: string } {
  // dist/src/cli/connect.js (compiled) or dist/berth.cjs (bundled).
  const here = path.dirname(fileURLToPath(import.meta.url));
  const berthd = [path.resolve(here, '..', 'cmd', 'berthd.js'), path.resolve(here, 'src', 'cmd', 'berthd.js')].find((p) => existsSync(p));
  if (!berthd) throw new Error('berth: cannot find berthd.js next to the CLI');
  const execRoot = path.dirname(socket);
  const args = [berthd, '-H', `unix://${socket}`, '--exec-root', execRoot];
  if (env.BERTH_DATA_ROOT) args.push('--data-root', env.BERTH_DATA_ROOT);
  mkdirSync(execRoot, { recursive: true });
  const log = path.join(execRoot, 'berthd.log');
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')] });
  child.unref();
  return { pid: child.pid ?? 0, log };
}
