// Building and taking apart image archives in tests: tars in memory, images
// made from layer tars without any daemon, and a listing of a data root to
// prove a failed load left nothing behind.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import tar from 'tar-stream';

export interface Entry {
  name: string;
  data?: Buffer;
  type?: 'file' | 'directory' | 'symlink' | 'link';
  linkname?: string;
  mode?: number;
}

export const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
export const hex = (d: string) => d.replace(/^sha256:/, '');

/** A tar of `entries`, in order. */
export async function tarOf(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c: unknown) => chunks.push(c as Buffer));
    pack.on('end', resolve);
    pack.on('error', reject);
  });
  for (const e of entries) {
    const type = e.type ?? 'file';
    const header = { name: e.name, type, linkname: e.linkname, mode: e.mode ?? (type === 'directory' ? 0o755 : 0o644), mtime: new Date(0) };
    await new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (type === 'file') pack.entry(header, e.data ?? Buffer.alloc(0), cb);
      else pack.entry(header, cb);
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** The entries of a tar (files with their bytes). */
export async function entriesOf(archive: Buffer): Promise<Entry[]> {
  const ex = tar.extract();
  const out: Entry[] = [];
  const feeding = new Promise<void>((resolve) => {
    ex.end(archive);
    resolve();
  });
  for await (const e of ex) {
    const chunks: Buffer[] = [];
    for await (const c of e) chunks.push(c as Buffer);
    const h = e.header;
    out.push({ name: h.name, type: h.type as Entry['type'], linkname: h.linkname ?? undefined, data: Buffer.concat(chunks), mode: h.mode });
  }
  await feeding;
  return out;
}

export function fileOf(entries: Entry[], name: string): Buffer {
  const e = entries.find((x) => x.name === name);
  if (!e?.data) throw new Error(`no ${name} in the archive`);
  return e.data;
}

/** A layer tar holding a few files (directories first). */
export function layerOf(files: Record<string, string>): Promise<Buffer> {
  const dirs = new Set<string>();
  for (const f of Object.keys(files)) {
    const parts = f.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return tarOf([
    ...[...dirs].sort().map((name) => ({ name: `${name}/`, type: 'directory' as const })),
    ...Object.entries(files).map(([name, text]) => ({ name, data: Buffer.from(text) })),
  ]);
}

export interface ImageSpec {
  /** Layer tars (uncompressed), bottom first. */
  layers: Buffer[];
  repoTags?: string[];
  /** Extra config fields (a unique label keeps IDs unique between tests). */
  config?: Record<string, unknown>;
  /** Overrides the diff IDs the config declares. */
  diffIds?: string[];
}

export interface BuiltImage {
  id: string;
  config: Buffer;
  entries: Entry[];
  manifestItem: { Config: string; RepoTags: string[] | null; Layers: string[] };
}

/** The config and blob entries of an image, Docker 25 style (blobs/sha256/<hex>). */
export function buildImage(spec: ImageSpec): BuiltImage {
  const diffIds = spec.diffIds ?? spec.layers.map((l) => sha(l));
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['sh'], Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
      rootfs: { type: 'layers', diff_ids: diffIds },
      ...spec.config,
    }),
  );
  const id = sha(config);
  const entries: Entry[] = [{ name: `blobs/sha256/${hex(id)}`, data: config }];
  for (const l of spec.layers) entries.push({ name: `blobs/sha256/${hex(sha(l))}`, data: l });
  return {
    id,
    config,
    entries,
    manifestItem: {
      Config: `blobs/sha256/${hex(id)}`,
      RepoTags: spec.repoTags ?? null,
      Layers: spec.layers.map((l) => `blobs/sha256/${hex(sha(l))}`),
    },
  };
}

/**
 * An archive of images: manifest.json first (berth's order, layers unpack as they stream) or last
 * (Docker's lexical order: blobs first, so the loader has to spool them).
 */
export function archiveOf(images: BuiltImage[], order: 'metadata-first' | 'blobs-first' = 'metadata-first'): Promise<Buffer> {
  const manifest: Entry = { name: 'manifest.json', data: Buffer.from(JSON.stringify(images.map((i) => i.manifestItem))) };
  const seen = new Set<string>();
  const blobs = images.flatMap((i) => i.entries).filter((e) => !seen.has(e.name) && seen.add(e.name));
  return tarOf(order === 'metadata-first' ? [manifest, ...blobs] : [...blobs, manifest]);
}

/** Every path under `root` (files with their size), sorted: what a failed load must leave unchanged. */
export function listTree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) {
        out.push(`${r}/`);
        // Inside a snapshot's filesystem only its presence matters.
        if (!/^snapshots\/\d+$/.test(r)) walk(p, r);
      } else {
        // Files rewritten atomically with the same meaning: compare parsed content, not bytes.
        out.push(r.endsWith('.json') ? `${r} ${JSON.stringify(JSON.parse(readFileSync(p, 'utf8')))}` : `${r} ${st.size}`);
      }
    }
  };
  walk(root, '');
  return out;
}

/** The JSON messages of a load response body. */
export function messages(body: Buffer | string): Array<{ stream?: string; error?: string; errorDetail?: { message: string }; status?: string; id?: string }> {
  return body
    .toString()
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}
