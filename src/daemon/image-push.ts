// POST /images/{name}/push: `docker push`. Layers go up in parallel (the daemon-wide
// --max-concurrent-uploads), then the config and a schema 2 manifest (OCI when a layer is zstd);
// the final line gives the manifest's digest and size, and the image gains that RepoDigest.
import type { JsonMessage } from '../api/types.js';
import type { ImageRecord } from '../core/images.js';
import type { AuthConfig } from '../distribution/auth-config.js';
import type { Distribution } from '../distribution/distribution.js';
import { buildSchema2Manifest, type Descriptor } from '../distribution/manifest.js';
import { layerStatus, shortDigest } from '../distribution/progress.js';
import { uploadBlob } from '../distribution/blob-upload.js';
import { invalidArgument, notFound } from '../errdefs/errors.js';
import type { Digest } from '../oci/digest.js';
import { MEDIA_TYPES } from '../oci/image.js';
import {
  familiarName,
  familiarRepository,
  parseReference,
  repositoryName,
  withTagOrDigest,
  type Reference,
} from '../oci/reference.js';
import type { Daemon } from './daemon.js';
import { pushLayer, type Compression } from './image-push-layer.js';
import { IMAGES_LOCK } from './image-usage.js';
import { Readable } from 'node:stream';

export interface ImagePushOptions {
  tag?: string;
  auth?: AuthConfig;
  signal?: AbortSignal;
}

export async function imagePush(
  d: Daemon,
  dist: Distribution,
  name: string,
  opts: ImagePushOptions,
  progress: (m: JsonMessage) => void,
): Promise<void> {
  const named = parseReference(name);
  if (named.digest) throw invalidArgument('cannot push a digest reference');
  const ref = withTagOrDigest(named, opts.tag);
  if (ref.digest) throw invalidArgument('cannot push a digest reference');
  const signal = opts.signal ?? new AbortController().signal;
  progress({ status: `The push refers to repository [${repositoryName(ref)}]` });

  const tags = localTags(d, ref);
  const repo = dist.repository(ref.domain, ref.path, opts.auth, true);
  for (const [tag, img] of tags) {
    signal.throwIfAborted();
    await pushImage(d, dist, { ...ref, tag }, img, progress, signal, repo);
  }
}

/** The tags to push, as dockerd picks them: the one named, or every tag of the repository. */
function localTags(d: Daemon, ref: Reference): Array<[string, ImageRecord]> {
  const repoName = repositoryName(ref);
  const out: Array<[string, ImageRecord]> = [];
  for (const [full, id] of d.images.references()) {
    if (full.includes('@')) continue;
    const r = parseReference(full);
    if (repositoryName(r) !== repoName || !r.tag) continue;
    if (ref.tag && r.tag !== ref.tag) continue;
    const img = d.images.get(id);
    if (img) out.push([r.tag, img]);
  }
  if (out.length === 0) {
    if (ref.tag && [...d.images.references().keys()].some((k) => !k.includes('@') && repositoryName(parseReference(k)) === repoName)) {
      throw notFound(`tag does not exist: ${familiarName(ref)}`);
    }
    throw notFound(`An image does not exist locally with the tag: ${familiarRepository(ref)}`);
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

async function pushImage(
  d: Daemon,
  dist: Distribution,
  ref: Reference & { tag: string },
  img: ImageRecord,
  progress: (m: JsonMessage) => void,
  signal: AbortSignal,
  repo: ReturnType<Distribution['repository']>,
): Promise<void> {
  await repo.session.ping();
  const target = repositoryName(ref);
  const layers = img.layers;
  // Preparing, top layer first (as dockerd lists them); Waiting for those beyond the upload slots.
  const order = [...layers.keys()].reverse();
  for (const i of order) progress(layerStatus(shortDigest(layers[i].diffId), 'Preparing'));
  let slots = dist.options.maxConcurrentUploads;
  for (const i of order) if (slots-- <= 0) progress(layerStatus(shortDigest(layers[i].diffId), 'Waiting'));

  const abort = new AbortController();
  const onAbort = () => abort.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const ctx = { d, dist, repo, target, progress, signal: abort.signal };
  const pushed = order.map((i) =>
    dist.uploadSlots.run(() => pushLayer(ctx, layers[i]), abort.signal).catch((err: unknown) => {
      abort.abort(err);
      throw err;
    }),
  );
  let results: Array<{ desc: Descriptor; compression: Compression }>;
  try {
    const settled = await Promise.allSettled(pushed);
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    results = (settled as Array<PromiseFulfilledResult<{ desc: Descriptor; compression: Compression }>>).map((s) => s.value).reverse();
  } finally {
    signal.removeEventListener('abort', onAbort);
  }

  // Docker's schema 2 cannot name zstd layers: such images go up as OCI manifests.
  const oci = results.some((r) => r.compression === 'zstd');
  const layerDescs = results.map((r) => ({ ...r.desc, mediaType: layerMediaType(r.compression, oci) }));
  const configBytes = await d.content.read(img.id);
  const configDesc: Descriptor = { mediaType: oci ? MEDIA_TYPES.ociConfig : MEDIA_TYPES.dockerConfig, digest: img.id, size: configBytes.length };
  if ((await repo.statBlob(img.id)) === undefined) {
    await uploadBlob(repo, Readable.from([configBytes]), { digest: img.id, size: configBytes.length });
  }
  const manifest = buildSchema2Manifest(configDesc, layerDescs, oci);
  const digest = await repo.putManifest(ref.tag, manifest.mediaType, manifest.bytes);
  progress({ status: `${ref.tag}: digest: ${digest} size: ${manifest.bytes.length}` });
  progress({ progressDetail: {}, aux: { Tag: ref.tag, Digest: digest, Size: manifest.bytes.length } });

  await d.lock(IMAGES_LOCK, async () => {
    if (d.images.get(img.id)) await d.images.setReference(`${target}@${digest}`, img.id as Digest);
  });
  d.events.publish('image', 'push', familiarName(ref), { name: familiarRepository(ref) });
}

function layerMediaType(c: Compression, oci: boolean): string {
  if (c === 'zstd') return MEDIA_TYPES.ociLayerZstd;
  if (c === 'none') return oci ? MEDIA_TYPES.ociLayerTar : 'application/vnd.docker.image.rootfs.diff.tar';
  return oci ? MEDIA_TYPES.ociLayerGzip : MEDIA_TYPES.dockerLayerGzip;
}
