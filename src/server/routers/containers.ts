// /containers/...
import type { ContainerInspect, ContainerSummary, CreateRequest, WaitResponse } from '../../api/types.js';
import type { AttachOptions, AttachSession } from '../../daemon/container-attach.js';
import type { CreateResult } from '../../daemon/container-create.js';
import type { ListOptions } from '../../daemon/container-list.js';
import type { LogsOptions, LogStream } from '../../daemon/container-logs.js';
import type { StopOptions } from '../../daemon/container-stop.js';
import { boolParam, intParam, readJson, sendJson, sendStatus, type RequestContext } from '../context.js';
import { drainedOrClosed, hijack, pumpToSocket, streamContentType } from '../hijack.js';
import type { Router } from '../router.js';

export interface ContainerBackend {
  containerList(opts: ListOptions): Promise<ContainerSummary[]>;
  containerCreate(req: CreateRequest, name?: string): Promise<CreateResult>;
  containerInspect(ref: string): ContainerInspect;
  containerStart(ref: string): Promise<void>;
  containerStop(ref: string, opts: StopOptions): Promise<void>;
  containerRestart(ref: string, opts: StopOptions): Promise<void>;
  containerKill(ref: string, signal?: string): Promise<void>;
  containerWait(ref: string, condition?: string): { result: Promise<WaitResponse>; cancel(): void };
  containerDelete(ref: string, opts: { force?: boolean }): Promise<void>;
  containerRename(ref: string, name: string): Promise<void>;
  containerLogs(ref: string, opts: LogsOptions): LogStream;
  containerAttach(ref: string, opts: AttachOptions): AttachSession;
  containerResize(ref: string, height: number, width: number): Promise<void>;
  containerPrune(filters?: string | null): Promise<unknown>;
}

const stopOptions = (q: URLSearchParams): StopOptions => ({
  signal: q.get('signal') ?? undefined,
  timeout: intParam(q, 't'),
});

/** An AbortSignal that fires when the client hangs up. */
function clientGone(ctx: RequestContext): AbortSignal {
  const ac = new AbortController();
  const sock = ctx.upgrade?.socket ?? ctx.req.socket;
  sock.once('close', () => ac.abort());
  ctx.res?.once('close', () => ac.abort());
  return ac.signal;
}

export function containerRoutes(r: Router, b: ContainerBackend): void {
  r.add('GET', '/containers/json', async (ctx) => {
    const q = ctx.query;
    sendJson(ctx, 200, await b.containerList({ all: boolParam(q, 'all'), limit: intParam(q, 'limit'), size: boolParam(q, 'size'), filters: q.get('filters') }));
  });
  r.add('POST', '/containers/create', async (ctx) => {
    const body = (await readJson<CreateRequest>(ctx)) ?? ({} as CreateRequest);
    sendJson(ctx, 201, await b.containerCreate(body, ctx.query.get('name') || undefined));
  });
  r.add('POST', '/containers/prune', async (ctx) => sendJson(ctx, 200, await b.containerPrune(ctx.query.get('filters'))));
  r.add('GET', '/containers/{id}/json', async (ctx) => sendJson(ctx, 200, b.containerInspect(ctx.params.id)));
  r.add('POST', '/containers/{id}/start', async (ctx) => {
    await b.containerStart(ctx.params.id);
    sendStatus(ctx, 204);
  });
  r.add('POST', '/containers/{id}/stop', async (ctx) => {
    await b.containerStop(ctx.params.id, stopOptions(ctx.query));
    sendStatus(ctx, 204);
  });
  r.add('POST', '/containers/{id}/restart', async (ctx) => {
    await b.containerRestart(ctx.params.id, stopOptions(ctx.query));
    sendStatus(ctx, 204);
  });
  r.add('POST', '/containers/{id}/kill', async (ctx) => {
    await b.containerKill(ctx.params.id, ctx.query.get('signal') || undefined);
    sendStatus(ctx, 204);
  });
  r.add('POST', '/containers/{id}/rename', async (ctx) => {
    await b.containerRename(ctx.params.id, ctx.query.get('name') ?? '');
    sendStatus(ctx, 204);
  });
  r.add('DELETE', '/containers/{id}', async (ctx) => {
    await b.containerDelete(ctx.params.id, { force: boolParam(ctx.query, 'force') });
    sendStatus(ctx, 204);
  });
  r.add('POST', '/containers/{id}/wait', async (ctx) => {
    const w = b.containerWait(ctx.params.id, ctx.query.get('condition') ?? 'not-running');
    // Headers go out at once: `docker run` waits for them before starting.
    ctx.res!.writeHead(200, { 'Content-Type': 'application/json' });
    ctx.res!.flushHeaders();
    ctx.res!.once('close', () => w.cancel());
    ctx.res!.end(JSON.stringify(await w.result) + '\n');
  });
  r.add('GET', '/containers/{id}/logs', async (ctx) => {
    const q = ctx.query;
    const logs = b.containerLogs(ctx.params.id, {
      follow: boolParam(q, 'follow'),
      stdout: boolParam(q, 'stdout'),
      stderr: boolParam(q, 'stderr'),
      since: q.get('since') ?? undefined,
      until: q.get('until') ?? undefined,
      timestamps: boolParam(q, 'timestamps'),
      details: boolParam(q, 'details'),
      tail: q.get('tail') ?? undefined,
      signal: clientGone(ctx),
    });
    const res = ctx.res!;
    res.writeHead(200, { 'Content-Type': streamContentType(logs.tty, ctx.version) });
    res.flushHeaders();
    for await (const chunk of logs.chunks) {
      // A client that hangs up never drains: stop reading (which closes the log files) instead of waiting.
      if (!res.write(chunk)) await drainedOrClosed(res);
      if (res.destroyed) break;
    }
    res.end();
  });
  r.add('POST', '/containers/{id}/attach', async (ctx) => {
    const q = ctx.query;
    // stdin comes from the hijacked connection: what followed the request head first.
    const input = boolParam(q, 'stdin') && ctx.upgrade ? ctx.upgrade.socket : undefined;
    if (input && ctx.upgrade?.head.length) input.unshift(ctx.upgrade.head);
    const a = b.containerAttach(ctx.params.id, {
      stdout: boolParam(q, 'stdout'),
      stderr: boolParam(q, 'stderr'),
      logs: boolParam(q, 'logs'),
      stream: q.get('stream') === null ? true : boolParam(q, 'stream'),
      signal: clientGone(ctx),
      stdin: input,
      detachKeys: q.get('detachKeys') ?? undefined,
    });
    const socket = hijack(ctx, streamContentType(a.tty, ctx.version));
    await pumpToSocket(socket, a.chunks);
    // The client closes its side once it has read our end; until then discard what it sends.
    if (input) input.resume();
  });
  r.add('POST', '/containers/{id}/resize', async (ctx) => {
    // Docker parses both with Atoi: a missing size is a 400 too (NaN fails the daemon's check).
    const height = intParam(ctx.query, 'h') ?? Number.NaN;
    const width = intParam(ctx.query, 'w') ?? Number.NaN;
    await b.containerResize(ctx.params.id, height, width);
    sendStatus(ctx, 200);
  });
}
