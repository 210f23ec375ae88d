// Registry routes: pull (POST /images/create?fromImage=, reached through the images router), push,
// login (POST /auth) and search. Pull and push stream JSON progress; a failure before the first
// message is a plain HTTP error, after it an in-band error message, as dockerd does.
import type { JsonMessage } from '../../api/types.js';
import { invalidArgument } from '../../errdefs/errors.js';
import { intParam, readJson, sendJson, type Handler, type RequestContext } from '../context.js';
import type { Router } from '../router.js';

export interface PullRequest {
  fromImage: string;
  tag?: string;
  platform?: string;
  /** The X-Registry-Auth header as sent. */
  registryAuth?: string;
  signal: AbortSignal;
}

export interface PushRequest {
  tag?: string;
  registryAuth?: string;
  signal: AbortSignal;
}

export interface SearchResult {
  star_count: number;
  is_official: boolean;
  name: string;
  is_automated: boolean;
  description: string;
}

export interface DistributionBackend {
  imagePull(req: PullRequest, progress: (m: JsonMessage) => void): Promise<void>;
  imagePush(name: string, req: PushRequest, progress: (m: JsonMessage) => void): Promise<void>;
  authLogin(body: Record<string, unknown>): Promise<{ Status: string; IdentityToken: string }>;
  imageSearch(term: string, opts: { limit?: number; filters?: string | null; registryAuth?: string }): Promise<SearchResult[]>;
}

/** Registers push, /auth and search; returns the pull handler for the images router's POST /images/create. */
export function distributionRoutes(r: Router, b: DistributionBackend): Handler {
  r.add('POST', '/images/{name*}/push', async (ctx) => {
    await streamProgress(ctx, (progress, signal) =>
      b.imagePush(ctx.params.name, { tag: ctx.query.get('tag') || undefined, registryAuth: registryAuth(ctx), signal }, progress),
    );
  });
  r.add('POST', '/auth', async (ctx) => {
    const body = await readJson<Record<string, unknown>>(ctx);
    if (!body || typeof body !== 'object') throw invalidArgument('invalid JSON: empty body');
    sendJson(ctx, 200, await b.authLogin(body));
  });
  r.add('GET', '/images/search', async (ctx) => {
    const q = ctx.query;
    const term = q.get('term') ?? '';
    sendJson(ctx, 200, await b.imageSearch(term, { limit: intParam(q, 'limit'), filters: q.get('filters'), registryAuth: registryAuth(ctx) }));
  });
  return async (ctx) => {
    const q = ctx.query;
    await streamProgress(ctx, (progress, signal) =>
      b.imagePull(
        {
          fromImage: q.get('fromImage') ?? '',
          tag: q.get('tag') || undefined,
          platform: q.get('platform') || undefined,
          registryAuth: registryAuth(ctx),
          signal,
        },
        progress,
      ),
    );
  };
}

function registryAuth(ctx: RequestContext): string | undefined {
  const h = ctx.req.headers['x-registry-auth'];
  return (Array.isArray(h) ? h[0] : h) || undefined;
}

/** Runs `fn` with a JSON-lines progress sink; the client going away cancels it. */
async function streamProgress(
  ctx: RequestContext,
  fn: (progress: (m: JsonMessage) => void, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const res = ctx.res!;
  const abort = new AbortController();
  const onClose = () => {
    if (!res.writableEnded) abort.abort(new Error('client disconnected'));
  };
  res.on('close', onClose);
  const progress = (m: JsonMessage) => {
    if (res.destroyed) return;
    if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(`${JSON.stringify(m)}\n`);
  };
  try {
    await fn(progress, abort.signal);
  } catch (err) {
    if (!res.headersSent) throw err;
    const message = (err as Error).message;
    progress({ errorDetail: { message }, error: message });
  } finally {
    res.off('close', onClose);
  }
  res.end();
}
