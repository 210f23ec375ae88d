// A small distribution-API server for the cases a real registry never produces: a connection cut in
// the middle of a blob, 5xx answers, garbage JSON, blobs that do not match their digest — and a bearer
// token flow (its own /token endpoint) to check how credentials and tokens are used. Serves images
// built here from tar layers; records every request.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';

export const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

export interface FakeImage {
  repo: string;
  tag: string;
  manifest: Buffer;
  manifestDigest: string;
  config: Buffer;
  configDigest: string;
  layers: Array<{ blob: Buffer; digest: string; diffId: string }>;
  mediaType: string;
}

/** A tar of the given files (path → content). */
export async function tarOf(files: Record<string, string>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, content] of Object.entries(files)) pack.entry({ name, mode: 0o644, mtime: new Date(0) }, content);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export interface BuildOptions {
  cmd?: string[];
  /** An OCI manifest (with OCI media types) instead of Docker's schema 2. */
  oci?: boolean;
  /** How layers are compressed (zstd through the zstd program; OCI only). */
  compression?: 'gzip' | 'zstd' | 'none';
  architecture?: string;
}

function compress(t: Buffer, how: 'gzip' | 'zstd' | 'none'): Buffer {
  if (how === 'none') return t;
  if (how === 'gzip') return gzipSync(t);
  const r = spawnSync('zstd', ['-q', '-c'], { input: t, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`zstd failed: ${r.stderr}`);
  return r.stdout;
}

const LAYER_TYPES = {
  docker: { gzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip', none: 'application/vnd.docker.image.rootfs.diff.tar', zstd: '' },
  oci: {
    gzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
    none: 'application/vnd.oci.image.layer.v1.tar',
    zstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  },
};

/** An image from uncompressed layer tars (gzip-compressed schema 2 unless told otherwise). */
export function buildImage(repo: string, tag: string, layerTars: Buffer[], opts: BuildOptions | string[] = {}): FakeImage {
  const o: BuildOptions = Array.isArray(opts) ? { cmd: opts } : opts;
  const how = o.compression ?? 'gzip';
  const cmd = o.cmd ?? ['sh'];
  const layers = layerTars.map((t) => {
    const blob = compress(t, how);
    return { blob, digest: sha(blob), diffId: sha(t) };
  });
  const config = Buffer.from(
    JSON.stringify({
      architecture: o.architecture ?? 'amd64',
      os: 'linux',
      created: '2024-01-01T00:00:00Z',
      config: { Cmd: cmd, Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
      history: layers.map(() => ({ created: '2024-01-01T00:00:00Z', created_by: 'fake' })),
    }),
  );
  const types = o.oci ? LAYER_TYPES.oci : LAYER_TYPES.docker;
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: o.oci ? 'application/vnd.oci.image.manifest.v1+json' : 'application/vnd.docker.distribution.manifest.v2+json',
      config: {
        mediaType: o.oci ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.docker.container.image.v1+json',
        size: config.length,
        digest: sha(config),
      },
      layers: layers.map((l) => ({ mediaType: types[how], size: l.blob.length, digest: l.digest })),
    }),
  );
  const mediaType = o.oci ? 'application/vnd.oci.image.manifest.v1+json' : 'application/vnd.docker.distribution.manifest.v2+json';
  return { repo, tag, manifest, manifestDigest: sha(manifest), config, configDigest: sha(config), layers, mediaType };
}

/** An OCI index over images of several platforms, served under repo:tag. */
export function buildIndex(entries: Array<{ img: FakeImage; os: string; architecture: string; variant?: string }>): { body: Buffer; digest: string } {
  const body = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: entries.map((e) => ({
        mediaType: e.img.mediaType,
        size: e.img.manifest.length,
        digest: e.img.manifestDigest,
        platform: { os: e.os, architecture: e.architecture, ...(e.variant ? { variant: e.variant } : {}) },
      })),
    }),
  );
  return { body, digest: sha(body) };
}

export interface RequestRecord {
  method: string;
  path: string;
  range?: string;
  authorization?: string;
}

export class FakeRegistry {
  host = '';
  readonly requests: RequestRecord[] = [];
  readonly tokenRequests: Array<{ scope: string[]; authorization?: string }> = [];
  private readonly blobs = new Map<string, Buffer>();
  private readonly manifests = new Map<string, { body: Buffer; type: string }>();
  private server?: Server;

  /** Cut the connection once after this many bytes of the blob (then serve it normally). */
  cutBlob = new Map<string, { after: number; times: number }>();
  /** Answer requests for the blob with this status, this many times. */
  failBlob = new Map<string, { status: number; times: number }>();
  /** Serve these bytes for the blob instead of its own. */
  corruptBlob = new Map<string, Buffer>();
  /** Answer manifest requests with this status/body instead. */
  manifestOverride?: { status: number; body: string; type?: string };
  /** Require a bearer token from /token, which wants these Basic credentials (anonymous when absent). */
  bearer?: { user?: string; password?: string; service: string };

  add(img: FakeImage): this {
    this.blobs.set(img.configDigest, img.config);
    for (const l of img.layers) this.blobs.set(l.digest, l.blob);
    const type = img.mediaType;
    this.manifests.set(`${img.repo}:${img.tag}`, { body: img.manifest, type });
    this.manifests.set(`${img.repo}:${img.manifestDigest}`, { body: img.manifest, type });
    return this;
  }

  /** Serves an index under repo:tag (and by its digest); its images must be added by digest too. */
  addIndex(repo: string, tag: string, index: { body: Buffer; digest: string }, images: FakeImage[]): this {
    for (const img of images) this.add({ ...img, repo, tag: img.manifestDigest });
    const type = 'application/vnd.oci.image.index.v1+json';
    this.manifests.set(`${repo}:${tag}`, { body: index.body, type });
    this.manifests.set(`${repo}:${index.digest}`, { body: index.body, type });
    return this;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    this.host = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  blobRequests(digest: string): RequestRecord[] {
    return this.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/blobs/${digest}`));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', `http://${this.host}`);
    this.requests.push({ method: req.method ?? '', path: url.pathname, range: req.headers.range, authorization: req.headers.authorization });
    if (url.pathname === '/token') return this.token(req, url, res);
    if (this.bearer && !(req.headers.authorization ?? '').startsWith('Bearer tok-')) {
      const repo = /^\/v2\/(.+)\/(manifests|blobs|tags)\//.exec(url.pathname)?.[1];
      const scope = repo ? `,scope="repository:${repo}:pull"` : '';
      res.writeHead(401, {
        'Content-Type': 'application/json',
        'WWW-Authenticate': `Bearer realm="http://${this.host}/token",service="${this.bearer.service}"${scope}`,
      });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required', detail: null }] }));
      return;
    }
    if (url.pathname === '/v2/') return json(res, 200, {});
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (!m) return json(res, 404, { errors: [{ code: 'UNSUPPORTED', message: 'not here' }] });
    const [, repo, kind, ref] = m;
    if (kind === 'manifests') return this.manifest(req, res, repo, ref);
    return this.blob(req, res, ref);
  }

  private token(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const authorization = req.headers.authorization;
    this.tokenRequests.push({ scope: url.searchParams.getAll('scope'), authorization });
    const b = this.bearer;
    if (b?.user) {
      const want = `Basic ${Buffer.from(`${b.user}:${b.password}`).toString('base64')}`;
      if (authorization !== want) return json(res, 401, { details: 'incorrect username or password' });
    }
    json(res, 200, { token: `tok-${url.searchParams.getAll('scope').join('+') || 'none'}`, expires_in: 300 });
  }

  private manifest(req: IncomingMessage, res: ServerResponse, repo: string, ref: string): void {
    if (this.manifestOverride) {
      const o = this.manifestOverride;
      res.writeHead(o.status, { 'Content-Type': o.type ?? 'application/vnd.docker.distribution.manifest.v2+json' });
      res.end(o.body);
      return;
    }
    const m = this.manifests.get(`${repo}:${ref}`);
    if (!m) return json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: { Tag: ref } }] });
    res.writeHead(200, { 'Content-Type': m.type, 'Content-Length': m.body.length, 'Docker-Content-Digest': sha(m.body) });
    res.end(req.method === 'HEAD' ? undefined : m.body);
  }

  private blob(req: IncomingMessage, res: ServerResponse, digest: string): void {
    const fail = this.failBlob.get(digest);
    if (fail && fail.times > 0) {
      fail.times--;
      return json(res, fail.status, { errors: [{ code: 'UNAVAILABLE', message: 'try later' }] });
    }
    const own = this.blobs.get(digest);
    if (!own) return json(res, 404, { errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown to registry', detail: digest }] });
    const data = this.corruptBlob.get(digest) ?? own;
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range) start = Number(range[1]);
    const body = data.subarray(start);
    const headers: Record<string, string | number> = { 'Content-Type': 'application/octet-stream', 'Content-Length': body.length, 'Docker-Content-Digest': digest };
    if (range) headers['Content-Range'] = `bytes ${start}-${data.length - 1}/${data.length}`;
    res.writeHead(range ? 206 : 200, headers);
    if (req.method === 'HEAD') return void res.end();
    const cut = this.cutBlob.get(digest);
    if (cut && cut.times > 0) {
      cut.times--;
      res.write(body.subarray(0, Math.max(0, cut.after - start)), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    res.end(body);
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const b = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(b) });
  res.end(b);
}
