// The builder's new images: a layer tar (from COPY/ADD/WORKDIR, or a RUN container's upper directory) is
// stored as a blob while hashed, unpacked as the snapshot over the parent's, and the child image's config
// written as Docker's builder writes it (config, container_config, history with empty_layer, parent link).
// An empty diff adds no layer, as in Docker.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import tar from 'tar-stream';
import type { BuildImage, ChildConfig } from '../builder/dispatch/backend.js';
import { INIT_PATHS } from '../core/fs-changes.js';
import type { ImageRecord, LayerRecord } from '../core/images.js';
import { internal } from '../errdefs/errors.js';
import { native } from '../host/native.js';
import { chainIds, type Digest } from '../oci/digest.js';
import { MEDIA_TYPES, type HistoryEntry, type ImageConfig } from '../oci/image.js';
import type { Daemon } from './daemon.js';
import { rfc3339Nano } from './image-filters.js';
import { IMAGES_LOCK } from './image-usage.js';
import { packTree } from './tree-pack.js';

/** sha256 of an empty tar (1024 zero bytes): Docker's "empty layer". */
const EMPTY_TAR_DIFF_ID = 'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef';

/** Stores a layer tar as it streams in; undefined (nothing stored) when it holds no entries. */
export async function ingestLayer(d: Daemon, layerTar: Readable): Promise<LayerRecord | undefined> {
  const writer = await d.content.writer();
  const hash = createHash('sha256');
  try {
    for await (const chunk of layerTar) {
      hash.update(chunk as Buffer);
      await writer.write(chunk as Buffer);
    }
  } catch (err) {
    await writer.abort();
    throw err;
  }
  const diffId = `sha256:${hash.digest('hex')}` as Digest;
  if (diffId === EMPTY_TAR_DIFF_ID) {
    await writer.abort();
    return undefined;
  }
  const info = await writer.commit(diffId);
  return { blob: info.digest, mediaType: MEDIA_TYPES.ociLayerTar, blobSize: info.size, diffId };
}

/**
 * Directories the runtime only copied up to put its mount points in (`/etc` for /etc/hosts…): unchanged
 * from the image and holding nothing else, they are not part of what the step changed (Docker keeps
 * those mount points in a separate init layer).
 */
function copiedUpForMounts(upper: string, lowers: string[]): Set<string> {
  const out = new Set<string>();
  const parents = new Set([...INIT_PATHS].map((p) => path.posix.dirname(p)).filter((p) => p !== '/' && !INIT_PATHS.has(p)));
  for (const dir of parents) {
    const rel = dir.slice(1);
    const host = path.join(upper, rel);
    let st;
    try {
      st = lstatSync(host);
    } catch {
      continue;
    }
    if (!st.isDirectory() || native().lgetxattr(host, 'trusted.overlay.opaque') === 'y') continue;
    if (!readdirSync(host).every((name) => INIT_PATHS.has(`${dir}/${name}`))) continue;
    const lower = lowers.map((l) => lstatQuiet(path.join(l, rel))).find((x) => x !== undefined);
    if (!lower?.isDirectory() || lower.mode !== st.mode || lower.uid !== st.uid || lower.gid !== st.gid) continue;
    out.add(rel);
  }
  return out;
}

function lstatQuiet(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

/** A stopped container's changes as a layer tar (overlay whiteouts as `.wh.` entries). */
export function containerDiffTar(upper: string, lowers: string[]): Readable {
  const copiedUp = copiedUpForMounts(upper, lowers);
  const pack = tar.pack();
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  pack.on('error', (err: Error) => out.destroy(err));
  pack.pipe(out);
  void packTree(pack, upper, '', { whiteouts: true, skip: (name) => INIT_PATHS.has(`/${name}`) || copiedUp.has(name) }).then(
    () => pack.finalize(),
    (err) => pack.destroy(err as Error),
  );
  return out;
}

/** Writes the child image of `parent` with `layer` (or none); resolves with it. */
export async function writeChildImage(d: Daemon, parent: BuildImage, layer: LayerRecord | undefined, child: ChildConfig): Promise<BuildImage> {
  const parentRecord = parent.id === '' ? undefined : d.images.get(parent.id as Digest);
  if (parent.id !== '' && !parentRecord) throw internal(`parent image ${parent.id} is gone`);
  const undo: Array<() => Promise<unknown>> = [];
  try {
    return await d.lock(IMAGES_LOCK, async () => {
      const parentDiffs = parent.config.rootfs.diff_ids;
      const diffIds = layer ? [...parentDiffs, layer.diffId] : [...parentDiffs];
      let size = 0;
      if (layer) {
        const chain = chainIds(diffIds);
        const top = chain[chain.length - 1];
        const existing = await d.snapshots.stat(top);
        if (existing) size = existing.size;
        else {
          const res = await d.snapshots.applyLayer(top, chain.length > 1 ? chain[chain.length - 2] : undefined, d.content.createReadStream(layer.blob));
          undo.push(() => d.snapshots.remove(top));
          if (res.diffId !== layer.diffId) throw internal(`layer ${layer.blob} changed while building`);
          size = res.size;
        }
      }
      const created = rfc3339Nano(new Date());
      const entry: HistoryEntry = {
        created,
        ...(child.author ? { author: child.author } : {}),
        created_by: (child.containerConfig.Cmd ?? []).join(' '),
        ...(layer ? {} : { empty_layer: true }),
      };
      // Keys in the order Docker's JSON has them (sorted).
      const config: ImageConfig & { container?: string } = {
        architecture: parent.config.architecture,
        ...(child.author ? { author: child.author } : {}),
        config: child.config,
        container: child.container ?? '',
        container_config: child.containerConfig,
        created,
        history: [...(parent.config.history ?? []), entry],
        os: parent.config.os,
        rootfs: { type: 'layers', diff_ids: diffIds },
        ...(parent.config.variant ? { variant: parent.config.variant } : {}),
      };
      if (!config.container) delete config.container;
      const blob = await d.content.put(Buffer.from(JSON.stringify(config)));
      if (!d.images.get(blob.digest)) {
        const record: ImageRecord = {
          id: blob.digest,
          config,
          layers: layer ? [...(parentRecord?.layers ?? []), layer] : [...(parentRecord?.layers ?? [])],
          size: (parentRecord?.size ?? 0) + size,
          ...(parent.id !== '' ? { parent: parent.id as Digest } : {}),
        };
        undo.push(() => d.content.delete(blob.digest));
        await d.images.put(record);
      }
      return { id: blob.digest, config };
    });
  } catch (err) {
    for (const step of undo.reverse()) await step().catch(() => {});
    if (layer && !d.images.list().some((img) => img.layers.some((l) => l.blob === layer.blob))) {
      await d.content.delete(layer.blob).catch(() => {});
    }
    throw err;
  }
}
