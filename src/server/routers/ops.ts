// Routes for the ops verbs (issue 3): pause, unpause, top, stats.
import type { StatsJson } from '../../core/stats-json.js';
import type { TopResult } from '../../core/stats-top.js';
import type { StatsOptions } from '../../daemon/container-stats.js';
import { invalidArgument } from '../../errdefs/errors.js';
import { boolParam, sendJson, sendStatus, type RequestContext } from '../context.js';
import type { Router } from '../router.js';

export interface OpsBackend {
  containerPause(ref: string): Promise<void>;
  containerUnpause(ref: string): Promise<void>;
  containerTop(ref: string, psArgs?: string): Promise<TopResult>;
  containerStats(ref: string, opts: StatsOptions): AsyncGenerator<StatsJson>;
}

function clientGone(ctx: RequestContext): AbortSignal {
  const ac = new AbortController();
  ctx.req.socket.once('close', () => ac.abort());
  ctx.res?.once('close', () => ac.abort());
  return ac.signal;
}

export function opsRoutes(r: Router, b: OpsBackend): void {
  r.add('POST', '/containers/{id}/pause', async (ctx) => {
    await b.containerPause(ctx.params.id);
    sendStatus(ctx, 204);
  });
  r.add('POST', '/containers/{id}/unpause', async (ctx) => {
    await b.containerUnpause(ctx.params.id);
    sendStatus(ctx, 204);
  });
  r.add('GET', '/containers/{id}/top', async (ctx) => {
    sendJson(ctx, 200, await b.containerTop(ctx.params.id, ctx.query.get('ps_args') ?? undefined));
  });
  r.add('GET', '/containers/{id}/stats', async (ctx) => {
    const q = ctx.query;
    const signal = clientGone(ctx);
    // stream defaults to true, as in Docker.
    const stream = q.get('stream') === null ? true : boolParam(q, 'stream');
    const oneShot = boolParam(q, 'one-shot');
    if (oneShot && stream) throw invalidArgument('cannot have stream=true and one-shot=true');
    const samples = b.containerStats(ctx.params.id, { stream, oneShot, signal });
    const res = ctx.res!;
    let started = false;
    try {
      for await (const s of samples) {
        if (!started) {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          started = true;
        }
        if (res.destroyed) break;
        if (!res.write(JSON.stringify(s) + '\n')) await new Promise((ok) => res.once('drain', ok).once('close', ok));
      }
    } finally {
      await samples.return(undefined);
    }
    if (!started) res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end();
  });
}
