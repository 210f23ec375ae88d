// POST /build (the classic builder: the body is the context tar, the answer a JSON message stream),
// POST /build/prune and POST /build/cancel.
import type { JsonMessage } from '../../api/types.js';
import type { ImageBuildOptions } from '../../daemon/image-build.js';
import { normalizeAuthConfig, type AuthConfig } from '../../distribution/auth-config.js';
import { invalidArgument } from '../../errdefs/errors.js';
import { sendJson, type RequestContext } from '../context.js';
import type { Router } from '../router.js';

/** The router fills the daemon's own build options from the query. */
export type BuildRequestOptions = ImageBuildOptions;

/** Query parameters that limit the RUN containers, and the HostConfig field each sets. */
const RESOURCE_PARAMS: Record<string, string> = {
  memory: 'Memory', memswap: 'MemorySwap', shmsize: 'ShmSize', cpushares: 'CpuShares', cpuperiod: 'CpuPeriod',
  cpuquota: 'CpuQuota', cpusetcpus: 'CpusetCpus', cpusetmems: 'CpusetMems', cgroupparent: 'CgroupParent',
};

export interface BuildBackend {
  imageBuild(opts: BuildRequestOptions, emit: (m: JsonMessage) => void): Promise<string>;
  builderPrune(opts: { all?: boolean; filters?: string | null; keepStorage?: number }): Promise<{ CachesDeleted: string[] | null; SpaceReclaimed: number }>;
}

export function buildRoutes(r: Router, b: BuildBackend): void {
  r.add('POST', '/build', async (ctx) => build(ctx, b));
  r.add('POST', '/build/prune', async (ctx) => {
    const q = ctx.query;
    const keep = q.get('keep-storage');
    sendJson(ctx, 200, await b.builderPrune({ all: goBool(q.get('all')), filters: q.get('filters'), keepStorage: keep ? Number(keep) : undefined }));
  });
  // Builds are cancelled by closing the connection; there is nothing else to cancel.
  r.add('POST', '/build/cancel', async (ctx) => {
    ctx.res!.writeHead(200);
    ctx.res!.end();
  });
}

/** httputils.BoolValue: anything but "", "0", "no", "false", "none" is true. */
const goBool = (v: string | null): boolean => !['', '0', 'no', 'false', 'none'].includes((v ?? '').trim().toLowerCase());

function jsonParam<T>(q: URLSearchParams, name: string, what: string): T | undefined {
  const v = q.get(name);
  if (!v) return undefined;
  try {
    return JSON.parse(v) as T;
  } catch (err) {
    throw invalidArgument(`unable to parse ${what}: ${(err as Error).message}`);
  }
}

function resourcesOf(q: URLSearchParams): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [param, field] of Object.entries(RESOURCE_PARAMS)) {
    const v = q.get(param);
    if (v === null || v === '' || v === '0') continue;
    if (field.startsWith('Cpuset') || field === 'CgroupParent') out[field] = v;
    else if (/^-?\d+$/.test(v)) out[field] = Number(v);
    else throw invalidArgument(`invalid value for ${param}: ${v}`);
  }
  return out;
}

/**
 * X-Registry-Config: base64url JSON, registry → AuthConfig, for the pulls of base images. As dockerd
 * (getAuthConfigs), a header that does not decode is ignored: pulls go anonymous.
 */
function registryConfig(ctx: RequestContext): Record<string, AuthConfig> {
  const h = ctx.req.headers['x-registry-config'];
  const header = Array.isArray(h) ? h[0] : h;
  const out: Record<string, AuthConfig> = {};
  if (!header) return out;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
  } catch {
    return out;
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return out;
  for (const [registry, raw] of Object.entries(json as Record<string, unknown>)) {
    const auth = raw && typeof raw === 'object' ? normalizeAuthConfig(raw as Record<string, unknown>) : undefined;
    if (auth) out[registry] = auth;
  }
  return out;
}

/**
 * berth's extension: `contextdir=<absolute path>` names a context directory on the daemon's host, read in
 * place instead of a tar in the body. Only over a unix socket, whose clients already act as root here;
 * a path means nothing to a client on another machine.
 */
function contextDirParam(ctx: RequestContext): string | undefined {
  const dir = ctx.query.get('contextdir');
  if (!dir) return undefined;
  if (ctx.req.socket.remoteAddress !== undefined) throw invalidArgument('contextdir is accepted only over a local unix socket');
  return dir;
}

async function build(ctx: RequestContext, b: BuildBackend): Promise<void> {
  const q = ctx.query;
  const res = ctx.res!;
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const opts: BuildRequestOptions = {
    source: ctx.req,
    contextDir: contextDirParam(ctx),
    dockerfile: q.get('dockerfile') || undefined,
    tags: q.getAll('t').filter((t) => t !== ''),
    quiet: goBool(q.get('q')),
    noCache: goBool(q.get('nocache')),
    target: q.get('target') || undefined,
    buildArgs: jsonParam(q, 'buildargs', 'build args'),
    labels: jsonParam(q, 'labels', 'labels'),
    // Docker removes intermediate containers unless told not to.
    rm: q.get('rm') === null || q.get('rm') === '' ? true : goBool(q.get('rm')),
    forceRm: goBool(q.get('forcerm')),
    networkMode: q.get('networkmode') || undefined,
    resources: resourcesOf(q),
    pull: goBool(q.get('pull')),
    authConfigs: registryConfig(ctx),
    signal: abort.signal,
  };
  // The 200 goes out with the first message; a failure before that is a plain HTTP error.
  const emit = (m: JsonMessage) => {
    if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/json' });
    res.write(`${JSON.stringify(m)}\r\n`);
  };
  try {
    await b.imageBuild(opts, emit);
  } catch (err) {
    if (!res.headersSent) throw err;
    const message = (err as Error).message;
    const code = (err as { code?: unknown }).code;
    emit({ errorDetail: typeof code === 'number' ? { code, message } : { message }, error: message });
  }
  res.end();
}
