// /containers/{id}/exec and /exec/...: create, start (detached, or taking over
// the connection as dockerd does), resize, inspect.
import type { Duplex } from 'node:stream';
import type { ExecCreateRequest, ExecInspect, ExecStartRequest } from '../../api/types.js';
import { versionAtLeast } from '../../api/version.js';
import { consoleSizeOf, type ConsoleSize } from '../../core/exec-config.js';
import type { ExecAttachOptions } from '../../daemon/exec-start.js';
import { invalidArgument } from '../../errdefs/errors.js';
import { readBody, sendJson, sendStatus, type RequestContext } from '../context.js';
import { hijack, pumpToSocket, streamContentType } from '../hijack.js';
import type { Router } from '../router.js';

export interface ExecBackend {
  execCreate(ref: string, req: ExecCreateRequest): { Id: string };
  execInspect(id: string): ExecInspect;
  execStartCheck(id: string): void;
  execStartDetached(id: string, consoleSize?: ConsoleSize): Promise<void>;
  execStartAttached(id: string, o: ExecAttachOptions): AsyncGenerator<Buffer>;
  execResize(id: string, height: number, width: number): Promise<void>;
}

export function execRoutes(r: Router, b: ExecBackend): void {
  r.add('POST', '/containers/{id}/exec', async (ctx) => {
    const req = parseBody<ExecCreateRequest>(await readBody(ctx.req, ctx.upgrade?.head));
    sendJson(ctx, 201, b.execCreate(ctx.params.id, req));
  });
  r.add('GET', '/exec/{id}/json', async (ctx) => sendJson(ctx, 200, b.execInspect(ctx.params.id)));
  r.add('POST', '/exec/{id}/resize', async (ctx) => {
    await b.execResize(ctx.params.id, atoi(ctx.query.get('h')), atoi(ctx.query.get('w')));
    sendStatus(ctx, 200);
  });
  r.add('POST', '/exec/{id}/start', async (ctx) => {
    const req = parseBody<ExecStartRequest>(ctx.upgrade ? await readUpgradedBody(ctx) : await readBody(ctx.req));
    // dockerd: no console size before API 1.42, nor without a TTY.
    const consoleSize = req.Tty && versionAtLeast(ctx.version, '1.42') ? consoleSizeOf(req.ConsoleSize) : undefined;
    if (req.Detach) {
      await b.execStartDetached(ctx.params.id, consoleSize);
      if (ctx.res) sendStatus(ctx, 200);
      else ctx.upgrade!.socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    b.execStartCheck(ctx.params.id);
    const input = ctx.upgrade?.socket;
    const tty = Boolean(req.Tty);
    const chunks = b.execStartAttached(ctx.params.id, { tty, consoleSize, stdin: input, signal: clientGone(ctx) });
    const socket = hijack(ctx, streamContentType(tty, ctx.version));
    await pumpToSocket(socket, chunks);
    // The client closes its side once it has read our end; until then discard what it sends.
    if (input) input.resume();
  });
}

/** Go's json decoder on an empty body says EOF; dockerd turns that into this 400. */
function parseBody<T>(body: Buffer): T {
  if (body.length === 0) throw invalidArgument('got EOF while reading request body');
  try {
    return (JSON.parse(body.toString('utf8')) ?? {}) as T;
  } catch (err) {
    throw invalidArgument(`invalid JSON: ${(err as Error).message}`);
  }
}

/** dockerd parses h and w with strconv.Atoi, and says so when they are not integers. */
function atoi(v: string | null): number {
  const s = v ?? '';
  if (!/^[+-]?\d+$/.test(s)) throw invalidArgument(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  return Number(s);
}

/**
 * The body of an upgraded request: Node hands over the raw socket, so read
 * Content-Length bytes (part may already be in `head`) and leave the rest,
 * the start of the client's stdin, on the socket.
 */
function readUpgradedBody(ctx: RequestContext): Promise<Buffer> {
  const { socket, head } = ctx.upgrade!;
  const length = Number(ctx.req.headers['content-length'] ?? 0) || 0;
  return new Promise((resolve, reject) => {
    let buf = head;
    const done = () => {
      socket.removeListener('data', onData);
      socket.removeListener('end', onEnd);
      socket.removeListener('error', onEnd);
      socket.pause();
      if (buf.length > length) socket.unshift(buf.subarray(length));
      resolve(buf.subarray(0, length));
    };
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= length) done();
    };
    const onEnd = () => {
      socket.removeListener('data', onData);
      reject(invalidArgument('got EOF while reading request body'));
    };
    if (buf.length >= length) {
      done();
      return;
    }
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', onEnd);
  });
}

/** An AbortSignal that fires when the client hangs up. */
function clientGone(ctx: RequestContext): AbortSignal {
  const ac = new AbortController();
  const sock: Duplex = ctx.upgrade?.socket ?? ctx.req.socket;
  sock.once('close', () => ac.abort());
  ctx.res?.once('close', () => ac.abort());
  return ac.signal;
}
