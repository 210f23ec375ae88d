// The Engine API over HTTP on unix sockets (and later TCP).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { API_VERSION, MIN_API_VERSION, compareVersions } from '../api/version.js';
import { BerthError, invalidArgument } from '../errdefs/errors.js';
import type { RequestContext } from './context.js';
import { COMMON_HEADERS } from './headers.js';
import { errorBody, statusOf } from './httpstatus.js';
import { Router, splitVersion } from './router.js';

export class ApiServer {
  private readonly servers: Server[] = [];
  private readonly hijacked = new Set<Duplex>();

  constructor(private readonly router: Router, private readonly log: (msg: string) => void = () => {}) {}

  async listen(host: string): Promise<void> {
    if (!host.startsWith('unix://')) throw invalidArgument(`unsupported host ${host}: only unix:// for now`);
    const socketPath = host.slice('unix://'.length);
    mkdirSync(path.dirname(socketPath), { recursive: true });
    rmSync(socketPath, { force: true });
    const server = createServer({ keepAlive: true }, (req, res) => void this.handle(req, res));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      // The HTTP server forgets hijacked sockets; close() must end them itself or it never finishes.
      this.hijacked.add(socket);
      socket.once('close', () => this.hijacked.delete(socket));
      // The HTTP server's error handling ends with the upgrade: a client that vanishes (ECONNRESET, EPIPE)
      // must only end its own connection, never the daemon, whatever the handler has set up so far.
      socket.on('error', () => socket.destroy());
      void this.handle(req, undefined, { socket, head });
    });
    // Long-poll endpoints (wait, logs -f, events) must not time out.
    server.requestTimeout = 0;
    server.headersTimeout = 0;
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => resolve());
    });
    chmodSync(socketPath, 0o660);
    this.servers.push(server);
  }

  close(): Promise<void> {
    return Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.close(() => resolve());
            s.closeAllConnections();
            for (const socket of this.hijacked) socket.destroy();
          }),
      ),
    ).then(() => undefined);
  }

  private async handle(req: IncomingMessage, res?: ServerResponse, upgrade?: { socket: Duplex; head: Buffer }) {
    const url = new URL(req.url ?? '/', 'http://berth');
    const { version, path: route } = splitVersion(url.pathname);
    const ctx: RequestContext = { req, res, upgrade, params: {}, query: url.searchParams, version: version ?? API_VERSION };
    if (res) for (const [k, v] of Object.entries(COMMON_HEADERS)) res.setHeader(k, v);
    try {
      if (version) checkVersion(version);
      const m = this.router.match(req.method ?? 'GET', route);
      if (!m || m === 'method') throw new BerthError('NotFound', 'page not found');
      ctx.params = m.params;
      await m.handler(ctx);
    } catch (err) {
      this.fail(ctx, err);
    }
  }

  private fail(ctx: RequestContext, err: unknown): void {
    const status = statusOf(err);
    if (status >= 500) this.log(`error: ${ctx.req.method} ${ctx.req.url}: ${(err as Error).stack ?? err}`);
    const body = status === 304 ? '' : errorBody(err);
    if (ctx.res) {
      if (ctx.res.headersSent) {
        ctx.res.destroy();
        return;
      }
      const headers = body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {};
      ctx.res.writeHead(status, headers);
      ctx.res.end(body);
      return;
    }
    const socket = ctx.upgrade!.socket;
    if (!socket.writable) return;
    socket.end(
      `HTTP/1.1 ${status} ${statusText(status)}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
}

function checkVersion(v: string): void {
  if (compareVersions(v, MIN_API_VERSION) < 0) {
    throw invalidArgument(
      `client version ${v} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`,
    );
  }
  if (compareVersions(v, API_VERSION) > 0) {
    throw invalidArgument(`client version ${v} is too new. Maximum supported API version is ${API_VERSION}`);
  }
}

function statusText(status: number): string {
  return ({ 400: 'Bad Request', 404: 'Not Found', 409: 'Conflict', 500: 'Internal Server Error', 304: 'Not Modified' } as Record<number, string>)[status] ?? 'Error';
}
