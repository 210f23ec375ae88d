// POST /commit: the container's upper directory becomes a new layer on top of
// its image (whiteouts as `.wh.` entries), stored as import stores one.
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import tar from 'tar-stream';
import type { ContainerConfig } from '../api/types.js';
import type { ImageRecord, LayerRecord } from '../core/images.js';
import { INIT_PATHS } from '../core/fs-changes.js';
import { conflict, internal, notFound } from '../errdefs/errors.js';
import { chainIds, type Digest } from '../oci/digest.js';
import { MEDIA_TYPES, type ImageConfig } from '../oci/image.js';
import { familiarName, fullName } from '../oci/reference.js';
import { getContainer } from './container-lookup.js';
import { overlayDirs } from './container-rootfs.js';
import type { Daemon } from './daemon.js';
import { applyChanges } from './image-changes.js';
import { rfc3339Nano } from './image-filters.js';
import { repoTagReference } from './image-tag.js';
import { IMAGES_LOCK } from './image-usage.js';
import { packTree } from './tree-pack.js';

export interface CommitOptions {
  container: string;
  repo?: string;
  tag?: string;
  comment?: string;
  author?: string;
  /** Default true, as in Docker. */
  pause?: boolean;
  changes?: string[];
  /** A config from the request body, merged over the container's (API clients may send one). */
  config?: ContainerConfig;
}

export async function containerCommit(d: Daemon, opts: CommitOptions): Promise<string> {
  const c = getContainer(d, opts.container);
  if (c.state.Status === 'removing' || c.state.Dead) throw conflict(`You cannot commit container ${c.id} which is being removed`);
  const ref = repoTagReference(opts.repo, opts.tag);
  const base = { ...c.config, ...(opts.config ?? {}) };
  const config = applyChanges(base, opts.changes);
  const parent = d.images.get(c.image);
  if (!parent) throw notFound(`No such image: ${c.image}`);

  const pause = (opts.pause ?? true) && c.state.Running && !c.state.Paused;
  let paused = false;
  if (pause) paused = await d.runtime.pause(c.id).then(() => true, () => false);
  let layer: LayerRecord;
  try {
    layer = await writeLayer(d, c.id);
  } finally {
    if (paused) await d.runtime.resume(c.id).catch(() => {});
  }

  const diffIds = [...parent.config.rootfs.diff_ids, layer.diffId];
  const chain = chainIds(diffIds);
  const top = chain.at(-1)!;
  const parentChain = chain.length > 1 ? chain.at(-2) : undefined;
  const undo: Array<() => Promise<unknown>> = [];
  try {
    return await d.lock(IMAGES_LOCK, async () => {
      let size: number;
      const existing = await d.snapshots.stat(top);
      if (existing) size = existing.size;
      else {
        const res = await d.snapshots.applyLayer(top, parentChain, d.content.createReadStream(layer.blob));
        undo.push(() => d.snapshots.remove(top));
        if (res.diffId !== layer.diffId) throw internal(`layer ${layer.blob} changed while committing`);
        size = res.size;
      }
      const created = rfc3339Nano(new Date());
      const imageConfig: ImageConfig = {
        ...structuredClone(parent.config),
        created,
        config,
        rootfs: { type: 'layers', diff_ids: diffIds },
        history: [
          ...(parent.config.history ?? []),
          {
            created,
            created_by: [c.path, ...c.args].join(' '),
            ...(opts.author ? { author: opts.author } : {}),
            ...(opts.comment ? { comment: opts.comment } : {}),
          },
        ],
      };
      delete imageConfig.author;
      delete imageConfig.comment;
      delete imageConfig.container_config;
      if (opts.author) imageConfig.author = opts.author;
      if (opts.comment) imageConfig.comment = opts.comment;
      const blob = await d.content.put(Buffer.from(JSON.stringify(imageConfig)));
      undo.push(() => d.content.delete(blob.digest));
      const record: ImageRecord = {
        id: blob.digest,
        config: imageConfig,
        layers: [...parent.layers, layer],
        size: parent.size + size,
        parent: parent.id,
      };
      if (ref) record.lastTagTime = created;
      await d.images.put(record);
      undo.push(() => d.images.delete(record.id));
      if (ref) {
        await d.images.setReference(fullName(ref), record.id);
        d.events.publish('image', 'tag', record.id, { name: familiarName(ref) });
      }
      d.events.publish('container', 'commit', c.id, { comment: opts.comment ?? '', imageID: record.id, imageRef: ref ? familiarName(ref) : '', name: c.name.slice(1) });
      return record.id;
    });
  } catch (err) {
    for (const step of undo.reverse()) await step().catch(() => {});
    if (!d.images.list().some((img) => img.layers.some((l) => l.blob === layer.blob))) {
      await d.content.delete(layer.blob).catch(() => {});
    }
    throw err;
  }
}

/** Streams the upper directory as an uncompressed layer tar into the content store. */
async function writeLayer(d: Daemon, id: string): Promise<LayerRecord> {
  const { upper } = await overlayDirs(d, id);
  const writer = await d.content.writer();
  const hash = createHash('sha256');
  const pack = tar.pack();
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      writer.write(chunk).then(() => cb(), cb);
    },
  });
  const done = new Promise<void>((resolve, reject) => {
    pack.on('error', reject);
    sink.on('error', reject);
    sink.on('finish', resolve);
  });
  pack.pipe(sink);
  try {
    await packTree(pack, upper, '', { whiteouts: true, skip: (name) => INIT_PATHS.has(`/${name}`) });
    pack.finalize();
    await done;
    const diffId = `sha256:${hash.digest('hex')}` as Digest;
    const info = await writer.commit(diffId);
    return { blob: info.digest, mediaType: MEDIA_TYPES.ociLayerTar, blobSize: info.size, diffId };
  } catch (err) {
    pack.destroy(err as Error);
    await writer.abort();
    throw err;
  }
}
