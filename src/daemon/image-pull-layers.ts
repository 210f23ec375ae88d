// Pull, step two: the layers. Downloads run in parallel (the daemon-wide --max-concurrent-downloads)
// into partial files that the extraction follows as they grow, so fetch → verify → inflate → untar is
// one pipeline per layer; extraction goes in layer order (each snapshot sits on its parent). Layers
// already present are not fetched. On failure everything this pull made is undone; only partial blobs
// of interrupted downloads stay, for the next pull to resume.
import { PassThrough, Transform, type Readable } from 'node:stream';
import type { LayerRecord } from '../core/images.js';
import { BlobDownload, BlobVerificationError } from '../distribution/blob-download.js';
import type { Distribution } from '../distribution/distribution.js';
import { decompressLayer } from '../distribution/layer-decompress.js';
import { lazyReadable } from '../distribution/lazy-stream.js';
import type { Descriptor } from '../distribution/manifest.js';
import { ByteProgress, layerStatus, shortDigest, type ProgressSink } from '../distribution/progress.js';
import type { RegistryRepository } from '../distribution/registry-repository.js';
import { BerthError, conflict, internal, kindOf } from '../errdefs/errors.js';
import { chainIds, type Digest } from '../oci/digest.js';
import type { Daemon } from './daemon.js';
import type { ResolvedImage } from './image-pull-resolve.js';
import { IMAGES_LOCK } from './image-usage.js';

export interface LayerPullContext {
  d: Daemon;
  dist: Distribution;
  repo: RegistryRepository;
  progress: ProgressSink;
  /** The image as the user named it, for error messages. */
  what: string;
  signal: AbortSignal;
}

/** What the layers became; the commit step turns it into the image record. */
export interface PulledLayers {
  layers: LayerRecord[];
  /** Sum of the layers' unpacked sizes. */
  size: number;
}

interface LayerPlan {
  desc: Descriptor;
  diffId: string;
  chainId: string;
  parent?: string;
  id: string;
  /** The record's blob (the manifest's, or an equal layer's already in the store). */
  record: LayerRecord;
  /** Snapshot present at the start. */
  haveSnapshot: boolean;
  /** The record's blob is in the content store at the start. */
  haveBlob: boolean;
  /** Bytes arrive from here (set for layers that are fetched). */
  transfer?: Transfer;
}

interface Transfer {
  /** Resolves once the blob is verified and in the content store. */
  done: Promise<void>;
  /** The blob's bytes from the start, as they arrive. */
  open(): Readable;
}

/**
 * Fetches and unpacks the layers of `image`, then runs `commit` (the image record) — the extraction
 * and the commit under the images lock, so no delete releases a layer in between.
 */
export async function pullLayers<T>(
  ctx: LayerPullContext,
  image: ResolvedImage,
  commit: (pulled: PulledLayers) => Promise<T>,
): Promise<T> {
  const { d } = ctx;
  const plans = await planLayers(ctx, image);
  for (const p of plans) ctx.progress(layerStatus(p.id, p.haveSnapshot && p.haveBlob ? 'Already exists' : 'Pulling fs layer'));

  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(ctx.signal.reason);
  ctx.signal.addEventListener('abort', onOuterAbort, { once: true });
  const createdSnapshots: string[] = [];
  const transfers: Array<Promise<void>> = [];
  let firstFailure: unknown;
  try {
    let queued = 0;
    for (const p of plans) {
      if (p.haveSnapshot && p.haveBlob) continue;
      if (p.haveBlob) {
        // Blob stored, snapshot gone (a layer removed by rmi, its blob kept by another image).
        p.transfer = localTransfer(ctx, p);
      } else {
        if (ctx.dist.downloadSlots.saturated || queued >= ctx.dist.options.maxConcurrentDownloads) {
          ctx.progress(layerStatus(p.id, 'Waiting'));
        }
        queued++;
        p.transfer = remoteTransfer(ctx, p, abort.signal);
      }
      transfers.push(p.transfer.done);
    }
    // Fail fast: a failed download aborts the rest, even while extraction waits for the lock.
    for (const t of transfers) {
      t.catch((err: unknown) => {
        firstFailure ??= err;
        abort.abort(err);
      });
    }

    return await d.lock(IMAGES_LOCK, async () => {
      let size = 0;
      for (const p of plans) {
        abort.signal.throwIfAborted();
        size += await applyPlan(ctx, p, createdSnapshots, abort.signal);
      }
      await Promise.all(transfers);
      return commit({ layers: plans.map((p) => p.record), size });
    });
  } catch (err) {
    firstFailure ??= err;
    abort.abort(err);
    await Promise.allSettled(transfers);
    await undo(ctx, plans, createdSnapshots);
    // The first thing that went wrong, not the cancellations it caused.
    throw firstFailure;
  } finally {
    ctx.signal.removeEventListener('abort', onOuterAbort);
  }
}

async function planLayers(ctx: LayerPullContext, image: ResolvedImage): Promise<LayerPlan[]> {
  const { d } = ctx;
  const diffIds = image.config.rootfs.diff_ids;
  const chain = chainIds(diffIds);
  const plans: LayerPlan[] = [];
  for (let i = 0; i < diffIds.length; i++) {
    const desc = image.manifest.layers[i];
    let record: LayerRecord = { blob: desc.digest as Digest, mediaType: desc.mediaType, blobSize: desc.size, diffId: diffIds[i] as Digest };
    let haveBlob = await d.content.has(desc.digest as Digest);
    if (!haveBlob) {
      // The same layer, stored as another blob (imported uncompressed, or compressed differently).
      for (const img of d.images.list()) {
        const same = img.layers.find((l) => l.diffId === diffIds[i]);
        if (same && (await d.content.has(same.blob))) {
          record = same;
          haveBlob = true;
          break;
        }
      }
    }
    plans.push({
      desc,
      diffId: diffIds[i],
      chainId: chain[i],
      parent: i > 0 ? chain[i - 1] : undefined,
      id: shortDigest(desc.digest),
      record,
      haveSnapshot: (await d.snapshots.stat(chain[i])) !== undefined,
      haveBlob,
    });
  }
  return plans;
}

/** Downloads the blob (sharing a download another pull already runs for it). */
function remoteTransfer(ctx: LayerPullContext, p: LayerPlan, signal: AbortSignal): Transfer {
  const obtained = obtainDownload(ctx, p, signal);
  obtained.catch(() => {});
  const done = (async () => {
    const dl = await obtained;
    const bar = new ByteProgress(ctx.progress, p.id, 'Downloading');
    const unwatch = dl.watch(() => {
      if (dl.outcome === 'running' && dl.written < p.desc.size) bar.update(dl.written, p.desc.size);
    });
    try {
      await dl.done;
    } finally {
      unwatch();
    }
    if (dl.resumedFrom < p.desc.size) bar.update(p.desc.size, p.desc.size, true);
    ctx.progress(layerStatus(p.id, 'Verifying Checksum'));
    ctx.progress(layerStatus(p.id, 'Download complete'));
  })().catch((err: unknown) => {
    throw layerError(err, p, ctx.what, 'download');
  });
  done.catch(() => {});
  return {
    done,
    open(): Readable {
      const out = new PassThrough({ highWaterMark: 1 << 20 });
      let src: Readable | undefined;
      out.on('close', () => src?.destroy());
      obtained.then(
        (dl) => {
          if (out.destroyed) return;
          src = dl.outcome === 'verified' ? ctx.d.content.createReadStream(p.desc.digest as Digest) : dl.follow();
          src.on('error', (err) => out.destroy(err));
          src.pipe(out);
        },
        (err: Error) => out.destroy(err),
      );
      return out;
    },
  };
}

/** The download of this blob: one already running (another pull's), or a new one once a slot is free. */
function obtainDownload(ctx: LayerPullContext, p: LayerPlan, signal: AbortSignal): Promise<BlobDownload> {
  const { dist } = ctx;
  const partial = dist.paths.partial(p.desc.digest);
  const running = dist.downloads.get(partial);
  if (running) return running;
  const started = new Promise<BlobDownload>((resolve, reject) => {
    dist.downloadSlots
      .run(async () => {
        const dl = new BlobDownload({
          repo: ctx.repo,
          digest: p.desc.digest,
          size: p.desc.size,
          partialPath: partial,
          newWriter: () => ctx.d.content.writer(),
          attempts: dist.options.maxDownloadAttempts,
          retryDelayMs: dist.options.retryDelayMs,
          signal,
          onRetry: (ms) => {
            const s = Math.round(ms / 1000);
            ctx.progress(layerStatus(p.id, `Retrying in ${s} second${s === 1 ? '' : 's'}`));
          },
        });
        resolve(dl);
        await dl.done.catch(() => {});
      }, signal)
      .catch(reject)
      .finally(() => dist.downloads.delete(partial));
  });
  dist.downloads.set(partial, started);
  return started;
}

/** The blob is already in the content store. */
function localTransfer(ctx: LayerPullContext, p: LayerPlan): Transfer {
  ctx.progress(layerStatus(p.id, 'Download complete'));
  return { done: Promise.resolve(), open: () => ctx.d.content.createReadStream(p.record.blob) };
}

/** Unpacks one layer (or confirms it is there); returns its unpacked size. */
async function applyPlan(ctx: LayerPullContext, p: LayerPlan, created: string[], signal: AbortSignal): Promise<number> {
  const { d } = ctx;
  const existing = await d.snapshots.stat(p.chainId);
  if (existing) {
    // Present (from the start, or made meanwhile by another pull): only the blob may still be coming.
    await p.transfer?.done;
    if (p.transfer) ctx.progress(layerStatus(p.id, 'Pull complete'));
    return existing.size;
  }
  if (!p.transfer) {
    // It was there when the pull began and an rmi took it since.
    if (!(await d.content.has(p.record.blob))) {
      throw conflict(`layer ${p.chainId} of ${ctx.what} was removed while pulling it; pull again`);
    }
    p.transfer = localTransfer(ctx, p);
  }
  const transfer = p.transfer;
  let downloadDone = false;
  void transfer.done.then(() => (downloadDone = true), () => {});
  const bar = new ByteProgress(ctx.progress, p.id, 'Extracting');
  let consumed = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      consumed += chunk.length;
      // Until the download is complete its own line shows; then the extraction's.
      if (downloadDone) bar.update(consumed, p.record.blobSize);
      cb(null, chunk);
    },
  });
  // Built on the snapshotter's first read, so every failure reaches its error handling.
  const tar = lazyReadable(() => {
    const source = transfer.open();
    source.on('error', (err) => counter.destroy(err));
    return decompressLayer(source.pipe(counter), p.record.blobSize);
  });
  const onAbort = () => tar.fail(signal.reason instanceof Error ? signal.reason : new Error('pull cancelled'));
  signal.addEventListener('abort', onAbort, { once: true });
  let res: { diffId: string; size: number };
  try {
    res = await d.snapshots.applyLayer(p.chainId, p.parent, tar);
  } catch (err) {
    // When the download failed, that is the story (the extraction only saw its stream end).
    const downloadErr = await transfer.done.then(
      () => undefined,
      (e: unknown) => e,
    );
    throw downloadErr ?? layerError(err, p, ctx.what, 'extract');
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  created.push(p.chainId);
  await transfer.done;
  if (res.diffId !== p.diffId) {
    throw internal(
      `layers from manifest don't match image configuration: layer ${p.desc.digest} of ${ctx.what} unpacks to ${res.diffId}, the config says ${p.diffId}`,
    );
  }
  bar.update(p.record.blobSize, p.record.blobSize, true);
  ctx.progress(layerStatus(p.id, 'Pull complete'));
  return res.size;
}

/** A layer's failure, naming the layer and the image (Docker's own wording inside). */
function layerError(err: unknown, p: LayerPlan, what: string, phase: 'download' | 'extract'): Error {
  if (err instanceof BlobVerificationError) {
    return new BerthError('InvalidArgument', `filesystem layer verification failed for digest ${p.desc.digest} of ${what}`, { cause: err });
  }
  const msg = (err as Error).message ?? String(err);
  const doing = phase === 'download' ? 'failed to download layer' : 'failed to register layer';
  return new BerthError(kindOf(err), `${doing} ${p.desc.digest} of ${what}: ${msg}`, { cause: err });
}

/** Removes what this pull made: its snapshots (top first) and the blobs no image uses. */
async function undo(ctx: LayerPullContext, plans: LayerPlan[], createdSnapshots: string[]): Promise<void> {
  const { d } = ctx;
  await d.lock(IMAGES_LOCK, async () => {
    for (const key of [...createdSnapshots].reverse()) await d.snapshots.remove(key).catch(() => {});
    const used = new Set(d.images.list().flatMap((i) => i.layers.map((l) => l.blob)));
    for (const p of plans) {
      if (p.haveBlob || used.has(p.desc.digest as Digest)) continue;
      await d.content.delete(p.desc.digest as Digest).catch(() => {});
    }
  });
}
