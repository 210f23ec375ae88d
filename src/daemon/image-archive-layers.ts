// Layers of a load, once the whole archive is in: unpack what no snapshot
// holds yet (independent chains in parallel) and choose each layer's blob.
import { createHash } from 'node:crypto';
import type { JsonMessage } from '../api/types.js';
import { humanSize } from '../api/units.js';
import type { LayerRecord } from '../core/images.js';
import { invalidArgument } from '../errdefs/errors.js';
import { hexOf, type Digest } from '../oci/digest.js';
import { ociLayerMediaType } from '../oci/image-layout.js';
import type { PlannedImage, PlannedLayer } from './image-archive-plan.js';
import { layerKindError, wrapLayerError, type ArchiveContents, type ArchiveFile } from './image-archive-read.js';
import type { Daemon } from './daemon.js';
import { layerTar } from './image-import.js';

/** Makes every layer snapshot the images need; each chain once, chains of different images side by side. */
export async function ensureSnapshots(
  d: Daemon,
  images: PlannedImage[],
  contents: ArchiveContents,
  progress?: (m: JsonMessage) => void,
): Promise<void> {
  const jobs = new Map<string, Promise<void>>();
  const apply = (layers: PlannedLayer[], n: number): Promise<void> => {
    const l = layers[n];
    let job = jobs.get(l.chainId);
    if (!job) {
      job = (async () => {
        if (n > 0) await apply(layers, n - 1);
        if (await d.snapshots.stat(l.chainId)) return;
        progress?.(loadingLayer(l.diffId, l.file.size, 0));
        const gzip = gzipOf(l);
        // A plain layer's diff ID is its blob's digest, which the store verified: no second hash of it.
        if (!gzip && l.file.digest !== l.diffId) throw invalidArgument(`${l.describe}: invalid diffID: expected "${l.diffId}", got "${l.file.digest}"`);
        const tarStream = layerTar(d, await storedBlob(d, contents, l.file), gzip);
        const res = await d.snapshots.applyLayer(l.chainId, l.parentChainId, tarStream, gzip ? undefined : l.diffId).catch((err: unknown) => {
          throw wrapLayerError(l.describe, err);
        });
        contents.snapshots.push(l.chainId);
        if (res.diffId !== l.diffId) throw invalidArgument(`${l.describe}: invalid diffID: expected "${l.diffId}", got "${res.diffId}"`);
        progress?.(loadingLayer(l.diffId, l.file.size, l.file.size));
      })();
      jobs.set(l.chainId, job);
    }
    return job;
  };
  const results = await Promise.allSettled(images.filter((i) => i.layers.length).map((i) => apply(i.layers, i.layers.length - 1)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * The layer records of an image. A layer this load unpacked uses the
 * archive's blob (its diff ID was checked while unpacking); one that was
 * already there reuses the blob of an image that has it, as Docker reuses the
 * layer, and otherwise the archive's blob once its diff ID is checked.
 */
export async function layerRecords(
  d: Daemon,
  img: PlannedImage,
  contents: ArchiveContents,
  verified: Set<string>,
): Promise<LayerRecord[]> {
  const out: LayerRecord[] = [];
  for (const l of img.layers) {
    if (!contents.snapshots.includes(l.chainId) && !verified.has(`${l.file.name}\0${l.diffId}`)) {
      const existing = await existingLayer(d, l.diffId);
      if (existing) {
        out.push(existing);
        continue;
      }
      await verifyDiffId(d, contents, l);
    }
    verified.add(`${l.file.name}\0${l.diffId}`);
    const blob = await storedBlob(d, contents, l.file);
    out.push({ blob, mediaType: ociLayerMediaType(gzipOf(l) ? 'gzip' : 'none'), blobSize: l.file.size, diffId: l.diffId });
  }
  return out;
}

async function existingLayer(d: Daemon, diffId: Digest): Promise<LayerRecord | undefined> {
  for (const img of d.images.list()) {
    for (const l of img.layers) {
      if (l.diffId === diffId && (await d.content.has(l.blob))) return l;
    }
  }
  return undefined;
}

async function verifyDiffId(d: Daemon, contents: ArchiveContents, l: PlannedLayer): Promise<void> {
  let got: string;
  if (!gzipOf(l)) {
    got = l.file.digest;
  } else {
    const hash = createHash('sha256');
    try {
      for await (const chunk of layerTar(d, await storedBlob(d, contents, l.file), true)) hash.update(chunk as Buffer);
    } catch (err) {
      throw wrapLayerError(l.describe, err);
    }
    got = `sha256:${hash.digest('hex')}`;
  }
  if (got !== l.diffId) throw invalidArgument(`${l.describe}: invalid diffID: expected "${l.diffId}", got "${got}"`);
}

/** True for a gzip layer, false for a plain tar; any other kind is refused. */
function gzipOf(l: PlannedLayer): boolean {
  if (l.file.kind === 'gzip') return true;
  if (l.file.kind === 'tar') return false;
  throw layerKindError(l.describe, l.file.kind);
}

/** The file's blob in the content store (small files are kept in memory until needed). */
export async function storedBlob(d: Daemon, contents: ArchiveContents, file: ArchiveFile): Promise<Digest> {
  if (file.data) {
    const info = await d.content.put(file.data, file.digest);
    contents.stored.add(info.digest);
  }
  return file.digest;
}

/** Docker's "Loading layer" progress message (quiet=0): the layer's short diff ID, bytes of its blob. */
export function loadingLayer(diffId: string, total: number, current: number): JsonMessage {
  const half = total > 0 ? Math.min(50, Math.floor(Math.floor((current / total) * 100) / 2)) : 50;
  const bar = `[${'='.repeat(half)}>${' '.repeat(50 - half)}] `;
  return {
    status: 'Loading layer',
    progressDetail: { current, total },
    progress: `${bar}${humanSize(current).padStart(8)}/${humanSize(total)}`,
    id: hexOf(diffId).slice(0, 12),
  };
}
