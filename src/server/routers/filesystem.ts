// Routes for the filesystem verbs (issue 3): changes, export, archive, commit.
import type { Readable, Writable } from 'node:stream';
import type { ContainerConfig } from '../../api/types.js';
import type { FsChange } from '../../core/fs-changes.js';
import type { ArchivePutOptions } from '../../daemon/container-archive.js';
import type { CommitOptions } from '../../daemon/container-commit.js';
import { boolParam, readJson, sendJson, type RequestContext } from '../context.js';
import type { Router } from '../router.js';

export interface FilesystemBackend {
  containerChanges(ref: string): Promise<FsChange[]>;
  containerExport(ref: string, start: () => Writable): Promise<void>;
  containerArchiveStat(ref: string, path: string | null): Promise<string>;
  containerArchiveGet(ref: string, path: string | null, start: (stat: string) => Writable): Promise<void>;
  containerArchivePut(ref: string, path: string | null, body: Readable, opts: ArchivePutOptions): Promise<void>;
  containerCommit(opts: CommitOptions): Promise<string>;
}

const STAT_HEADER = 'X-Docker-Container-Path-Stat';

/** Runs a streaming handler; a failure after the 200 went out cuts the connection (the client sees a broken tar). */
async function streaming(ctx: RequestContext, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    if (!ctx.res!.headersSent) throw err;
    ctx.res!.destroy(err as Error);
  }
}

export function filesystemRoutes(r: Router, b: FilesystemBackend): void {
  r.add('GET', '/containers/{id}/changes', async (ctx) => {
    const changes = await b.containerChanges(ctx.params.id);
    sendJson(ctx, 200, changes.length ? changes : null);
  });
  r.add('GET', '/containers/{id}/export', async (ctx) =>
    streaming(ctx, () =>
      b.containerExport(ctx.params.id, () => {
        ctx.res!.writeHead(200, { 'Content-Type': 'application/x-tar' });
        return ctx.res!;
      }),
    ),
  );
  r.add('GET', '/containers/{id}/archive', async (ctx) => {
    const path = ctx.query.get('path');
    if (ctx.req.method === 'HEAD') {
      const stat = await b.containerArchiveStat(ctx.params.id, path);
      ctx.res!.writeHead(200, { [STAT_HEADER]: stat, 'Content-Type': 'application/x-tar' });
      ctx.res!.end();
      return;
    }
    await streaming(ctx, () =>
      b.containerArchiveGet(ctx.params.id, path, (stat) => {
        ctx.res!.writeHead(200, { [STAT_HEADER]: stat, 'Content-Type': 'application/x-tar' });
        return ctx.res!;
      }),
    );
  });
  r.add('PUT', '/containers/{id}/archive', async (ctx) => {
    const q = ctx.query;
    await b.containerArchivePut(ctx.params.id, q.get('path'), ctx.req, {
      noOverwriteDirNonDir: boolParam(q, 'noOverwriteDirNonDir'),
      copyUIDGID: boolParam(q, 'copyUIDGID'),
    });
    ctx.res!.writeHead(200);
    ctx.res!.end();
  });
  r.add('POST', '/commit', async (ctx) => {
    const q = ctx.query;
    const config = await readJson<ContainerConfig>(ctx);
    const id = await b.containerCommit({
      container: q.get('container') ?? '',
      repo: q.get('repo') || undefined,
      tag: q.get('tag') || undefined,
      comment: q.get('comment') || undefined,
      author: q.get('author') || undefined,
      pause: q.get('pause') === null || q.get('pause') === '' ? true : boolParam(q, 'pause'),
      changes: q.getAll('changes').filter((s) => s !== ''),
      config: config ?? undefined,
    });
    sendJson(ctx, 201, { Id: id });
  });
}
