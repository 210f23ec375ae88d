// /_ping, /version, /info
import { API_VERSION } from '../../api/version.js';
import type { Router } from '../router.js';
import { sendJson } from '../context.js';

export interface SystemBackend {
  version(): unknown;
  info(): unknown;
  df(): Promise<unknown>;
}

export function systemRoutes(r: Router, b: SystemBackend): void {
  const ping = async (ctx: Parameters<Parameters<Router['add']>[2]>[0]) => {
    const res = ctx.res!;
    res.writeHead(200, {
      'Api-Version': API_VERSION,
      'Builder-Version': '1',
      // berth's own clients may then send a local context directory by path (POST /build?contextdir=).
      'Berth-Build-Contextdir': '1',
      Swarm: 'inactive',
      'Cache-Control': 'no-cache, no-store, must-revalidate',
      Pragma: 'no-cache',
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': '2',
    });
    res.end(ctx.req.method === 'HEAD' ? undefined : 'OK');
  };
  r.add('GET', '/_ping', ping);
  r.add('HEAD', '/_ping', ping);
  r.add('GET', '/version', async (ctx) => sendJson(ctx, 200, b.version()));
  r.add('GET', '/info', async (ctx) => sendJson(ctx, 200, b.info()));
  r.add('GET', '/system/df', async (ctx) => sendJson(ctx, 200, await b.df()));
}
