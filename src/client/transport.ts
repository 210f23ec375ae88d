// HTTP over the daemon's unix socket: JSON calls, streams and hijacked connections.
import { request, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import { API_VERSION } from '../api/version.js';

/** Every request to the daemon: HTTP/1.1 over its unix socket. */
export function socketRequest(
  socketPath: string,
  path: string,
  method: string,
  headers: Record<string, string>,
  onResponse?: (res: IncomingMessage) => void,
): ClientRequest {
  // An explicit (empty) TLS server name: otherwise Node's agent derives one from
  // the Host header on every request, compiling its IPv6 regex (~4 ms) the first time.
  const options: RequestOptions = Object.assign({ socketPath, path, method, headers }, { servername: '' });
  return request(options, onResponse);
}

export class ApiError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(message);
  }
}

export interface Endpoint {
  socketPath: string;
  version: string;
}

export interface CallOptions {
  method?: string;
  query?: Record<string, string | number | boolean | undefined | string[]>;
  body?: unknown;
  /** A raw body (tar) streamed as is. */
  stream?: Readable;
  headers?: Record<string, string>;
}

export function buildPath(ep: Endpoint, path: string, query?: CallOptions['query']): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined) continue;
    if (Array.isArray(v)) v.forEach((x) => qs.append(k, x));
    else qs.set(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  const s = qs.toString();
  return `/v${ep.version}${path}${s ? `?${s}` : ''}`;
}

/** Sends a request and resolves with the response once headers arrive (errors become ApiError). */
export function send(ep: Endpoint, path: string, opts: CallOptions = {}): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Host: 'api.moby.localhost', ...opts.headers };
    let payload: Buffer | undefined;
    if (opts.body !== undefined) {
      payload = Buffer.from(JSON.stringify(opts.body));
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const req = socketRequest(ep.socketPath, buildPath(ep, path, opts.query), opts.method ?? 'GET', headers, (res) => {
      if ((res.statusCode ?? 500) >= 400) {
        readAll(res).then((b) => reject(new ApiError(res.statusCode ?? 500, errorMessage(b, res.statusCode ?? 500))), reject);
        return;
      }
      resolve(res);
    });
    req.on('error', reject);
    if (opts.stream) opts.stream.pipe(req);
    else req.end(payload);
  });
}

export async function call<T>(ep: Endpoint, path: string, opts: CallOptions = {}): Promise<{ status: number; body: T }> {
  const res = await send(ep, path, opts);
  const buf = await readAll(res);
  const text = buf.toString('utf8');
  return { status: res.statusCode ?? 200, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function readAll(res: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function errorMessage(body: Buffer, status: number): string {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { message?: string };
    if (parsed.message !== undefined) return parsed.message;
  } catch {
    // not JSON
  }
  return body.toString('utf8').trim() || `status ${status}`;
}

/** POST with Upgrade: tcp; resolves with the raw bidirectional socket. */
export function hijack(ep: Endpoint, path: string, opts: CallOptions = {}): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : Buffer.from(JSON.stringify(opts.body));
    const headers: Record<string, string> = { Host: 'api.moby.localhost', Connection: 'Upgrade', Upgrade: 'tcp' };
    if (payload) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const req = socketRequest(ep.socketPath, buildPath(ep, path, opts.query), 'POST', headers);
    req.on('upgrade', (_res, socket, head) => {
      if (head.length) socket.unshift(head);
      resolve(socket);
    });
    req.on('response', (res) => {
      if ((res.statusCode ?? 500) >= 400) {
        readAll(res).then((b) => reject(new ApiError(res.statusCode ?? 500, errorMessage(b, res.statusCode ?? 500))), reject);
      } else {
        resolve(res.socket);
      }
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export const DEFAULT_VERSION = API_VERSION;
