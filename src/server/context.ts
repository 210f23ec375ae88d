// What a route handler gets: parsed URL, version, body helpers, and the
// response (or the raw socket of an upgraded connection).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { invalidArgument } from '../errdefs/errors.js';

export interface RequestContext {
  req: IncomingMessage;
  /** Absent on upgraded (hijacked) requests. */
  res?: ServerResponse;
  upgrade?: { socket: Duplex; head: Buffer };
  params: Record<string, string>;
  query: URLSearchParams;
  version: string;
}

export type Handler = (ctx: RequestContext) => Promise<void>;

export async function readBody(req: IncomingMessage, head?: Buffer): Promise<Buffer> {
  const chunks: Buffer[] = head?.length ? [head] : [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses a JSON body; malformed JSON is a 400 as in Docker. */
export async function readJson<T>(ctx: RequestContext): Promise<T | undefined> {
  const body = await readBody(ctx.req, ctx.upgrade?.head);
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch (err) {
    throw invalidArgument(`invalid JSON: ${(err as Error).message}`);
  }
}

export function sendJson(ctx: RequestContext, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  ctx.res!.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  ctx.res!.end(body);
}

export function sendStatus(ctx: RequestContext, status: number): void {
  ctx.res!.writeHead(status);
  ctx.res!.end();
}

export const boolParam = (q: URLSearchParams, name: string): boolean => {
  const v = q.get(name);
  return v !== null && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
};

export const intParam = (q: URLSearchParams, name: string): number | undefined => {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw invalidArgument(`invalid value for ${name}: ${v}`);
  return n;
};
