// Attach and exec-start take over the connection, as Docker does: 101
// UPGRADED when the client asked to upgrade, else a raw 200 response.
import type { Duplex } from 'node:stream';
import { versionAtLeast } from '../api/version.js';
import type { RequestContext } from './context.js';
import { COMMON_HEADERS } from './headers.js';

export function streamContentType(tty: boolean, version: string): string {
  return !tty && versionAtLeast(version, '1.42')
    ? 'application/vnd.docker.multiplexed-stream'
    : 'application/vnd.docker.raw-stream';
}

/** Writes the status line and headers on the raw socket and returns it. */
export function hijack(ctx: RequestContext, contentType: string): Duplex {
  const socket = ctx.upgrade?.socket ?? ctx.req.socket;
  const extra = Object.entries(COMMON_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  const head = ctx.upgrade
    ? `HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n${extra}\r\n`
    : `HTTP/1.1 200 OK\r\nContent-Type: ${contentType}\r\n${extra}\r\n`;
  socket.write(head);
  return socket;
}

/** Copies chunks to the hijacked socket, then closes our side. */
export async function pumpToSocket(socket: Duplex, chunks: AsyncIterable<Buffer>): Promise<void> {
  for await (const chunk of chunks) {
    if (socket.destroyed) break;
    if (!socket.write(chunk)) await drainedOrClosed(socket);
  }
  socket.end();
}

/** Resolves when a stream can take more, or when the client is gone (then it never drains). */
export function drainedOrClosed(res: NodeJS.WritableStream & { off(e: string, f: () => void): unknown }): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
