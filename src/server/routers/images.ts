// /images/...
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import type { HistoryItem, ImageInspect, ImageSummary, JsonMessage } from '../../api/types.js';
import { invalidArgument, notFound } from '../../errdefs/errors.js';
import { boolParam, sendJson, type Handler, type RequestContext } from '../context.js';
import type { Router } from '../router.js';

export interface ImageImportOptions {
  source: Readable;
  repo?: string;
  tag?: string;
  message?: string;
  changes?: string[];
  fromSrc?: string;
}

export interface ImageBackend {
  imageList(opts: { all?: boolean; filters?: string | null; digests?: boolean }): Promise<ImageSummary[]> | ImageSummary[];
  imageInspect(name: string): Promise<ImageInspect> | ImageInspect;
  imageHistory(name: string): Promise<HistoryItem[]> | HistoryItem[];
  imageTag(name: string, repo: string, tag?: string): Promise<void>;
  imageDelete(name: string, opts: { force?: boolean; noprune?: boolean }): Promise<Array<{ Untagged?: string; Deleted?: string }>>;
  imagePrune(filters?: string | null): Promise<unknown>;
  imageImport(opts: ImageImportOptions, progress: (m: JsonMessage) => void): Promise<string>;
}


/** `pull`: the handler for POST /images/create?fromImage= (the distribution router's), when registries are served. */
export function imageRoutes(r: Router, b: ImageBackend, pull?: Handler): void {
  r.add('GET', '/images/json', async (ctx) => {
    const q = ctx.query;
    sendJson(ctx, 200, await b.imageList({ all: boolParam(q, 'all'), filters: q.get('filters'), digests: boolParam(q, 'digests') }));
  });
  r.add('POST', '/images/create', async (ctx) => (pull && !ctx.query.get('fromSrc') && ctx.query.get('fromImage') ? pull(ctx) : createImage(ctx, b)));
  r.add('POST', '/images/prune', async (ctx) => sendJson(ctx, 200, await b.imagePrune(ctx.query.get('filters'))));
  r.add('GET', '/images/{name*}/json', async (ctx) => sendJson(ctx, 200, await b.imageInspect(ctx.params.name)));
  r.add('GET', '/images/{name*}/history', async (ctx) => sendJson(ctx, 200, await b.imageHistory(ctx.params.name)));
  r.add('POST', '/images/{name*}/tag', async (ctx) => {
    await b.imageTag(ctx.params.name, ctx.query.get('repo') ?? '', ctx.query.get('tag') || undefined);
    ctx.res!.writeHead(201);
    ctx.res!.end();
  });
  r.add('DELETE', '/images/{name*}', async (ctx) => {
    const q = ctx.query;
    sendJson(ctx, 200, await b.imageDelete(ctx.params.name, { force: boolParam(q, 'force'), noprune: boolParam(q, 'noprune') }));
  });
}

/** POST /images/create: import (fromSrc) now; pulling from registries comes later. */
async function createImage(ctx: RequestContext, b: ImageBackend): Promise<void> {
  const q = ctx.query;
  const fromSrc = q.get('fromSrc');
  const fromImage = q.get('fromImage');
  if (!fromSrc && fromImage) {
    const tag = q.get('tag') || 'latest';
    throw notFound(`failed to resolve reference "${fromImage}:${tag}": pulling from a registry is not supported yet`);
  }
  if (!fromSrc) throw invalidArgument('fromSrc or fromImage is required');
  const source = fromSrc === '-' ? ctx.req : await fetchUrl(fromSrc);
  const res = ctx.res!;
  // The 200 goes out with the first message: a failure before that is a plain HTTP error.
  const progress = (m: JsonMessage) => {
    if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(`${JSON.stringify(m)}\n`);
  };
  try {
    await b.imageImport(
      {
        source,
        repo: q.get('repo') || undefined,
        tag: q.get('tag') || undefined,
        message: q.get('message') || undefined,
        changes: q.getAll('changes'),
        fromSrc,
      },
      progress,
    );
  } catch (err) {
    if (!res.headersSent) throw err;
    // Errors arrive in-band once the 200 has been sent, as Docker does.
    const message = (err as Error).message;
    progress({ errorDetail: { message }, error: message });
  }
  res.end();
}

function fetchUrl(url: string): Promise<Readable> {
  if (!/^https?:\/\//.test(url)) throw invalidArgument(`invalid source: ${url}`);
  return new Promise((resolve, reject) => {
    const req = (url.startsWith('https') ? httpsRequest : httpRequest)(url, (res) => {
      if ((res.statusCode ?? 500) >= 400) {
        res.resume();
        reject(invalidArgument(`Get "${url}": status ${res.statusCode}`));
        return;
      }
      resolve(res);
    });
    req.on('error', (err) => reject(invalidArgument(`Get "${url}": ${err.message}`)));
    req.end();
  });
}
