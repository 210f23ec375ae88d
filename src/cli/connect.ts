// Finds the daemon (-H, then BERTH_HOST, then DOCKER_HOST, then the default
// socket) and starts berthd when nothing answers on the default socket.
import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EngineClient } from '../client/client.js';
import type { GlobalOptions } from './command.js';

export const DEFAULT_SOCKET = '/run/berth/berth.sock';

export function resolveHost(globals: Pick<GlobalOptions, 'hosts'>, env: Record<string, string | undefined>): string {
  return globals.hosts.at(-1) || env.BERTH_HOST || env.DOCKER_HOST || `unix://${DEFAULT_SOCKET}`;
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
    if (!down || socket !== DEFAULT_SOCKET) throw cannotConnect(socket);
  }
  const pid = startDaemon();
  stderr.write(`berth: no daemon was running; started berthd (pid ${pid}, log /run/berth/berthd.log)\n`);
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

function startDaemon(): number {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const berthd = path.resolve(here, '..', 'cmd', 'berthd.js');
  mkdirSync('/run/berth', { recursive: true });
  const log = openSync('/run/berth/berthd.log', 'a');
  const child = spawn(process.execPath, [berthd], { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  return child.pid ?? 0;
}
