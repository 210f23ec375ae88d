// POST /images/load: `docker load`. The archive (Docker's legacy format,
// Docker 25's OCI layout with manifest.json, or a plain OCI layout) streams
// into the content store; layers are unpacked as soon as their place is known;
// then, under the images lock, every image and tag is written or none is.
// A failure leaves no image record, no moved tag, no new snapshot and no blob
// that nothing uses.
import type { Readable } from 'node:stream';
import type { JsonMessage } from '../api/types.js';
import type { ImageRecord } from '../core/images.js';
import { chainIds, type Digest } from '../oci/digest.js';
import { familiarName, fullName } from '../oci/reference.js';
import type { Daemon } from './daemon.js';
import { ensureSnapshots, layerRecords, loadingLayer } from './image-archive-layers.js';
import { layerTargets, planImages, type PlannedImage } from './image-archive-plan.js';
import { ArchiveContents, readArchive, type LayerTarget, type ReadHooks } from './image-archive-read.js';
import { IMAGES_LOCK } from './image-usage.js';

export interface ImageLoadOptions {
  source: Readable;
  /** Docker's default: no "Loading layer" progress. */
  quiet?: boolean;
}

type Undo = Array<() => Promise<unknown>>;

export async function imageLoad(d: Daemon, opts: ImageLoadOptions, progress: (m: JsonMessage) => void): Promise<void> {
  const quiet = opts.quiet ?? true;
  const contents = new ArchiveContents();
  const undo: Undo = [];
  let images: PlannedImage[] = [];
  let done = false;
  let settled = false;
  try {
    await readArchive(d, opts.source, contents, streamingHooks(d, contents, quiet ? undefined : progress));
    images = await planImages(d, contents);
    const lines = await d.lock(IMAGES_LOCK, async () => {
      try {
        const out = await commitImages(d, images, contents, undo, quiet ? undefined : progress);
        done = true;
        return out;
      } finally {
        settled = true;
        await settle(d, contents, undo, done);
      }
    });
    for (const img of images) d.events.publish('image', 'load', img.id, { name: img.id });
    for (const line of lines) progress({ stream: line });
  } catch (err) {
    if (!settled) await d.lock(IMAGES_LOCK, () => settle(d, contents, undo, false));
    throw err;
  }
}

/** While the archive streams: learn where layers go from manifest.json and configs, unpack them as they pass. */
function streamingHooks(d: Daemon, contents: ArchiveContents, progress?: (m: JsonMessage) => void): ReadHooks {
  let targets = new Map<string, LayerTarget>();
  const claimed = new Set<string>();
  return {
    onSmallFile(file) {
      // Only JSON can change what is known (legacy VERSION files cannot).
      if (file.data?.[0] === 0x7b || file.data?.[0] === 0x5b) targets = layerTargets(contents);
    },
    async layerTarget(name, size) {
      const t = targets.get(name);
      if (!t || claimed.has(t.chainId)) return undefined;
      if (await d.snapshots.stat(t.chainId)) return undefined;
      if (t.parentChainId && !(await d.snapshots.stat(t.parentChainId))) return undefined;
      claimed.add(t.chainId);
      progress?.(loadingLayer(t.diffId, size, 0));
      return t;
    },
    onApplied(t, file) {
      progress?.(loadingLayer(t.diffId, file.size, file.size));
    },
  };
}

/** Under IMAGES_LOCK: snapshots, image records, then tags; returns Docker's output lines. */
async function commitImages(
  d: Daemon,
  images: PlannedImage[],
  contents: ArchiveContents,
  undo: Undo,
  progress?: (m: JsonMessage) => void,
): Promise<string[]> {
  await ensureSnapshots(d, images, contents, progress);
  const verified = new Set<string>();
  const planned = new Map(images.map((i) => [i.id, i]));
  for (const img of images) {
    if (d.images.get(img.id)) continue; // the same image is already here
    const layers = await layerRecords(d, img, contents, verified);
    let size = 0;
    for (const l of img.layers) size += (await d.snapshots.stat(l.chainId))?.size ?? 0;
    if (!(await d.content.has(img.id))) {
      await d.content.put(img.configBytes, img.id);
      contents.stored.add(img.id);
    }
    const record: ImageRecord = { id: img.id, config: img.config, layers, size };
    const parent = img.parentId ? planned.get(img.parentId) : undefined;
    if (parent && isParentOf(parent, img)) record.parent = parent.id;
    await d.images.put(record);
    undo.push(() => d.images.delete(img.id));
  }

  // Tags last, once every image is in. Messages as Docker's tarexporter writes them.
  const lines: string[] = [];
  let idLines = '';
  let lastTagCount = 0;
  for (const img of images) {
    idLines += `Loaded image ID: ${img.id}\n`;
    for (const tag of img.tags) {
      const full = fullName(tag);
      const prev = d.images.references().get(full);
      if (prev !== img.id) {
        if (prev) lines.push(`The image ${familiarName(tag)} already exists, renaming the old one with ID ${prev} to empty string\n`);
        await d.images.setReference(full, img.id);
        undo.push(() => (prev ? d.images.setReference(full, prev) : d.images.deleteReference(full)));
      }
      lines.push(`Loaded image: ${familiarName(tag)}\n`);
    }
    lastTagCount = img.tags.length;
  }
  if (images.length > 0 && lastTagCount === 0) lines.push(idLines);
  return lines;
}

/** A parent's layers are the child's minus its last one (Docker's checkValidParent, by layers). */
function isParentOf(parent: PlannedImage, child: PlannedImage): boolean {
  const p = parent.config.rootfs.diff_ids;
  const c = child.config.rootfs.diff_ids;
  return p.length === c.length - 1 && p.every((x, i) => x === c[i]);
}

/**
 * Under IMAGES_LOCK, at the end: after a failure, undoes tags and records and
 * removes the snapshots this load made; either way, deletes the blobs this
 * load stored that no image uses (manifests, legacy json files, a failed load's layers).
 */
async function settle(d: Daemon, contents: ArchiveContents, undo: Undo, succeeded: boolean): Promise<void> {
  if (!succeeded) {
    for (const step of undo.splice(0).reverse()) await step().catch(() => {});
    const usedChains = new Set<string>(d.images.list().flatMap((i) => chainIds(i.config.rootfs.diff_ids)));
    for (const chain of contents.snapshots.splice(0).reverse()) {
      if (!usedChains.has(chain)) await d.snapshots.remove(chain).catch(() => {});
    }
    // Their directories go in the background: wait, so a failed load is gone when it reports.
    await d.snapshots.settled();
  }
  const usedBlobs = new Set<Digest>(d.images.list().flatMap((i) => [i.id, ...i.layers.map((l) => l.blob)]));
  for (const blob of contents.stored) {
    if (!usedBlobs.has(blob)) await d.content.delete(blob).catch(() => {});
  }
  contents.stored.clear();
}
