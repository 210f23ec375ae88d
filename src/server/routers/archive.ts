// Routes for image archives (issue 5): save (GET .../get) and load.
import type { Readable, Writable } from 'node:stream';
import type { JsonMessage } from '../../api/types.js';
import { invalidArgument } from '../../errdefs/errors.js';
import type { RequestContext } from '../context.js';
import type { Router } from '../router.js';

export interface ArchiveBackend {
  /** Checks every name first (a missing image is a plain 404), then calls `start` and streams the tar into it. */
  imageSave(names: string[], start: () => Writable): Promise<void>;
  imageLoad(opts: { source: Readable; quiet?: boolean }, progress: (m: JsonMessage) => void): Promise<void>;
}

export function archiveRoutes(r: Router, b: ArchiveBackend): void {
  r.add('GET', '/images/get', async (ctx) => save(ctx, b, ctx.query.getAll('names')));
  r.add('GET', '/images/{name*}/get', async (ctx) => save(ctx, b, [ctx.params.name]));
  r.add('POST', '/images/load', async (ctx) => load(ctx, b));
}

async function save(ctx: RequestContext, b: ArchiveBackend, names: string[]): Promise<void> {
  if (names.length === 0 || names.some((n) => n === '')) throw invalidArgument('no image names given');
  const res = ctx.res!;
  try {
    await b.imageSave(names, () => {
      res.writeHead(200, { 'Content-Type': 'application/x-tar' });
      return res;
    });
  } catch (err) {
    if (!res.headersSent) throw err;
    // Past the 200 there is no way to report it but a cut connection (the client sees a broken tar).
    res.destroy(err as Error);
  }
}

/** Docker answers 200 with a JSON message stream and reports failures in it, whatever they are. */
async function load(ctx: RequestContext, b: ArchiveBackend): Promise<void> {
  // httputils.BoolValueOrDefault(r, "quiet", true): absent is true, present-but-empty false.
  const q = ctx.query.get('quiet');
  const quiet = q === null ? true : !['', '0', 'no', 'false', 'none'].includes(q.trim().toLowerCase());
  const res = ctx.res!;
  const send = (m: JsonMessage) => {
    if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(`${JSON.stringify(m)}\n`);
  };
  try {
    await b.imageLoad({ source: ctx.req, quiet }, send);
  } catch (err) {
    const message = (err as Error).message;
    send({ errorDetail: { message }, error: message });
  }
  if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end();
}
