// Push, per layer: skip it when the repository has it ("Layer already exists"), mount it from a
// sibling repository of the same registry ("Mounted from x"), or upload it — as stored when the
// content store holds it compressed, else gzip-compressed on the way on all cores.
import { Transform, type Readable } from 'node:stream';
import type { LayerRecord } from '../core/images.js';
import { uploadBlob } from '../distribution/blob-upload.js';
import type { BlobSource } from '../distribution/blob-sources.js';
import type { Distribution } from '../distribution/distribution.js';
import type { Descriptor } from '../distribution/manifest.js';
import { parallelGzip } from '../distribution/parallel-gzip.js';
import { ByteProgress, layerStatus, shortDigest, type ProgressSink } from '../distribution/progress.js';
import type { RegistryRepository } from '../distribution/registry-repository.js';
import { MEDIA_TYPES } from '../oci/image.js';
import type { Daemon } from './daemon.js';

export interface LayerPushContext {
  d: Daemon;
  dist: Distribution;
  repo: RegistryRepository;
  /** "registry/path" of the target, as blob sources record repositories. */
  target: string;
  progress: ProgressSink;
  signal: AbortSignal;
}

export type Compression = 'gzip' | 'zstd' | 'none';

/** How a stored layer blob is compressed, from its media type. */
export function compressionOf(mediaType: string): Compression {
  if (mediaType.endsWith('gzip')) return 'gzip';
  if (mediaType.endsWith('zstd')) return 'zstd';
  return 'none';
}

/** The layer's descriptor in the pushed manifest (before the manifest's own media-type flavour). */
export async function pushLayer(ctx: LayerPushContext, layer: LayerRecord): Promise<{ desc: Descriptor; compression: Compression }> {
  const id = shortDigest(layer.diffId);
  const stored = compressionOf(layer.mediaType);
  const candidates: BlobSource[] = [];
  if (stored !== 'none') candidates.push({ digest: layer.blob, mediaType: layer.mediaType, size: layer.blobSize, diffId: layer.diffId, repositories: [] });
  for (const s of await ctx.dist.sources.forLayer(layer.diffId)) {
    if (!candidates.some((c) => c.digest === s.digest)) candidates.push(s);
    else Object.assign(candidates.find((c) => c.digest === s.digest)!, { repositories: s.repositories });
  }
  const done = async (c: BlobSource, status: string) => {
    await ctx.dist.sources.add({ digest: c.digest, mediaType: c.mediaType, size: c.size, diffId: layer.diffId }, ctx.target);
    ctx.progress(layerStatus(id, status));
    return { desc: { mediaType: c.mediaType, digest: c.digest, size: c.size }, compression: compressionOf(c.mediaType) };
  };

  // 1. Already there?
  for (const c of candidates) {
    if ((await ctx.repo.statBlob(c.digest)) !== undefined) return done(c, 'Layer already exists');
    await ctx.dist.sources.remove(c.digest, ctx.target);
  }
  // 2. In another repository of the same registry: mount it.
  const registry = `${ctx.repo.session.domain}/`;
  let location: URL | undefined;
  for (const c of candidates) {
    const from = [...c.repositories].reverse().find((r) => r.startsWith(registry) && r !== ctx.target);
    if (!from) continue;
    const fromPath = from.slice(registry.length);
    const res = await ctx.repo.startUpload({ digest: c.digest, from: fromPath });
    if (res.mounted) return done(c, `Mounted from ${fromPath}`);
    await ctx.dist.sources.remove(c.digest, from);
    // The registry opened an upload instead: use it if this is the blob we would upload.
    if (c.digest === layer.blob) location = res.location;
    break;
  }
  // 3. Upload.
  const bar = new ByteProgress(ctx.progress, id, 'Pushing');
  let body: Readable = ctx.d.content.createReadStream(layer.blob);
  const total = layer.blobSize;
  const cancel = () => body.destroy(new Error('push cancelled'));
  ctx.signal.addEventListener('abort', cancel, { once: true });
  let uploaded: { digest: string; size: number };
  try {
    if (stored === 'none') {
      body = compressedReader(ctx, body, (n) => bar.update(n, total));
      uploaded = await uploadBlob(ctx.repo, body, { location });
    } else {
      const opts = { digest: layer.blob, size: layer.blobSize, location, onBytes: (n: number) => bar.update(n, total) };
      uploaded = await uploadBlob(ctx.repo, body, opts);
    }
  } finally {
    ctx.signal.removeEventListener('abort', cancel);
  }
  bar.update(total, total, true);
  const mediaType = stored === 'none' ? MEDIA_TYPES.dockerLayerGzip : layer.mediaType;
  return done({ digest: uploaded.digest, mediaType, size: uploaded.size, diffId: layer.diffId, repositories: [] }, 'Pushed');
}

/** The stored tar, gzip-compressed on all cores; `onRead` counts the uncompressed bytes (Docker's progress). */
function compressedReader(ctx: LayerPushContext, raw: Readable, onRead: (n: number) => void): Readable {
  let n = 0;
  const counter = new Transform({
    transform(c: Buffer, _enc, cb) {
      onRead((n += c.length));
      cb(null, c);
    },
  });
  raw.on('error', (err) => counter.destroy(err));
  counter.on('close', () => raw.destroy());
  return parallelGzip(raw.pipe(counter), { level: ctx.dist.options.pushCompressionLevel });
}
