// HTTP(S) to registries: keep-alive agents shared by every request, Go-style error texts
// (`Get "http://127.0.0.1:5000/v2/": dial tcp 127.0.0.1:5000: connect: connection refused`).
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';

export interface HttpRequest {
  method: string;
  url: URL;
  headers?: Record<string, string>;
  /** A buffer is sent with Content-Length; a stream with chunked encoding unless Content-Length is set. */
  body?: Buffer | Readable;
  /** https without certificate verification (insecure registries). */
  insecureTls?: boolean;
  /** Socket inactivity limit (default 60 s). */
  idleTimeoutMs?: number;
}

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 32 });
const insecureHttpsAgent = new https.Agent({ keepAlive: true, maxSockets: 32, rejectUnauthorized: false });

/** Go's url.Error op: "Get", "Head", "Patch". */
export function opName(method: string): string {
  return method.charAt(0).toUpperCase() + method.slice(1).toLowerCase();
}

/** A transport failure, worded as Go's net/http would. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** Sends one request; resolves with the response once its headers arrive (any status). */
export function httpRequest(req: HttpRequest): Promise<IncomingMessage> {
  const { url } = req;
  const isHttps = url.protocol === 'https:';
  const agent = isHttps ? (req.insecureTls ? insecureHttpsAgent : httpsAgent) : httpAgent;
  const headers: Record<string, string> = { 'User-Agent': 'berth/0.1 (linux)', ...req.headers };
  if (Buffer.isBuffer(req.body)) headers['Content-Length'] = String(req.body.length);
  else if (req.body === undefined && ['PUT', 'POST', 'PATCH'].includes(req.method)) headers['Content-Length'] = '0';
  return new Promise((resolve, reject) => {
    const r = (isHttps ? https : http).request(url, { method: req.method, headers, agent }, (res) => resolve(res));
    r.setTimeout(req.idleTimeoutMs ?? 60_000, () => r.destroy(Object.assign(new Error('i/o timeout'), { code: 'ETIMEDOUT' })));
    r.on('error', (err) => reject(transportError(req.method, url, err)));
    const body = req.body;
    if (body === undefined || Buffer.isBuffer(body)) {
      r.end(body);
    } else {
      body.on('error', (err) => r.destroy(err));
      body.pipe(r);
    }
  });
}

/** `Get "url": dial tcp host:port: connect: connection refused` and friends. */
export function transportError(method: string, url: URL, err: unknown): TransportError {
  if (err instanceof TransportError) return err;
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  const hostPort = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
  let reason: string;
  switch (e.code) {
    case 'ECONNREFUSED':
      reason = `dial tcp ${hostPort}: connect: connection refused`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      reason = `dial tcp: lookup ${url.hostname}: no such host`;
      break;
    case 'ENETUNREACH':
      reason = `dial tcp ${hostPort}: connect: network is unreachable`;
      break;
    case 'ETIMEDOUT':
      reason = `dial tcp ${hostPort}: i/o timeout`;
      break;
    case 'ECONNRESET':
      reason = 'read: connection reset by peer';
      break;
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      reason = 'http: server gave HTTP response to HTTPS client';
      break;
    default:
      reason = e.message || String(err);
  }
  return new TransportError(`${opName(method)} "${url.href}": ${reason}`, e.code);
}

/** Reads a whole (small) response body, at most `limit` bytes. */
export async function readBody(res: IncomingMessage, limit = 16 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of res) {
    n += (c as Buffer).length;
    if (n > limit) {
      res.destroy();
      throw new Error(`response body larger than ${limit} bytes`);
    }
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Drops a response's body so its socket goes back to the pool. */
export function discard(res: IncomingMessage): void {
  res.resume();
}
