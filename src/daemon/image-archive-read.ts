// Reads an image archive (`docker load`'s body) as it streams: small files
// (manifests, configs) stay in memory, large ones are spooled into the content
// store with their digest checked on the way, and a layer whose place in an
// image is already known (manifest.json came first) is unpacked while it
// streams past. Nothing here decides what the files mean; see image-archive-plan.
import { once } from 'node:events';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import type { ContentWriter } from '../core/content.js';
import { BerthError, internal, invalidArgument } from '../errdefs/errors.js';
import { archiveLinkTarget, archivePath } from '../oci/archive-manifest.js';
import { sha256, type Digest } from '../oci/digest.js';
import { digestOfBlobPath } from '../oci/image-layout.js';
import type { Daemon } from './daemon.js';
import { archiveKind, type ArchiveKind } from './image-import.js';

/** Files up to this size are kept in memory (manifests and configs are a few kB)... */
const SMALL_FILE = 1 << 20;
/** ...as long as all of them together stay under this. */
const MEMORY_BUDGET = 64 << 20;
const MAX_LINK_HOPS = 16;

export interface ArchiveFile {
  name: string;
  size: number;
  /** sha256 of the bytes. */
  digest: Digest;
  /** The bytes, for small files; larger ones are in the content store under `digest`. */
  data?: Buffer;
  /** What the first bytes are: a tar, or a compressed stream. */
  kind: ArchiveKind;
  /** A problem found while reading (a digest mismatch), reported once something uses the file. */
  problem?: string;
  /** Unpacked while streaming into this snapshot (the diff ID was checked). */
  applied?: Digest;
}

/** Where a layer goes, known before its bytes arrive (then it is unpacked as it streams). */
export interface LayerTarget {
  chainId: Digest;
  parentChainId?: Digest;
  diffId: Digest;
  /** "image busybox:latest, layer 1/3 (blobs/sha256/…)": for errors. */
  describe: string;
}

export interface ReadHooks {
  /** A small file arrived (manifest.json, a config): the caller may learn where layers go. */
  onSmallFile(file: ArchiveFile): void;
  /** The layer `name` is, when it is known and its snapshot still has to be made. */
  layerTarget(name: string, size: number): Promise<LayerTarget | undefined>;
  /** A snapshot was made while streaming. */
  onApplied(target: LayerTarget, file: ArchiveFile): void;
}

export class ArchiveContents {
  readonly files = new Map<string, ArchiveFile>();
  /** Symlinks and hardlinks: archive path → archive path. */
  readonly links = new Map<string, string>();
  /** Blobs this load wrote into the content store (candidates for removal if nothing uses them). */
  readonly stored = new Set<Digest>();
  /** Snapshots this load made, in order. */
  readonly snapshots: Digest[] = [];
  memory = 0;

  /** The file at an archive path, following links inside the archive. */
  get(path: string): ArchiveFile | undefined {
    let p = path;
    for (let hops = 0; hops <= MAX_LINK_HOPS; hops++) {
      const f = this.files.get(p);
      if (f) return f;
      const next = this.links.get(p);
      if (next === undefined) return undefined;
      p = next;
    }
    return undefined;
  }

  async bytes(d: Daemon, file: ArchiveFile): Promise<Buffer> {
    return file.data ?? d.content.read(file.digest);
  }
}

/** Reads the whole archive from `source` (plain or gzip). Throws InvalidArgument for a bad archive. */
export async function readArchive(d: Daemon, source: Readable, contents: ArchiveContents, hooks: ReadHooks): Promise<void> {
  const extract = tar.extract();
  let firstError: unknown;
  extract.on('error', (err) => (firstError ??= err));
  const sniff = sniffer((head) => {
    const kind = archiveKind(head);
    if (kind === 'empty') throw invalidArgument('invalid archive: empty input');
    if (kind === 'bzip2' || kind === 'xz' || kind === 'zstd') {
      throw invalidArgument(`unsupported archive compression: ${kind} (only tar and gzip-compressed tar can be loaded)`);
    }
    if (kind === 'unknown') throw invalidArgument('invalid archive: not a tar archive or a gzip-compressed tar archive');
    if (kind === 'gzip') {
      const gunzip = createGunzip({ chunkSize: 1 << 20 });
      gunzip.on('error', (err) => extract.destroy(err));
      sniff.pipe(gunzip).pipe(extract as unknown as NodeJS.WritableStream);
    } else {
      sniff.pipe(extract as unknown as NodeJS.WritableStream);
    }
  });
  sniff.on('error', (err) => extract.destroy(err));
  source.on('error', (err) => sniff.destroy(err));
  source.pipe(sniff);

  let current: string | undefined;
  let layer: LayerTarget | undefined;
  const watched: ReadHooks = {
    ...hooks,
    layerTarget: async (name, size) => (layer = await hooks.layerTarget(name, size)),
  };
  try {
    for await (const entry of extract) {
      const h = entry.header;
      current = h.name;
      layer = undefined;
      const name = archivePath(h.name);
      if (h.type === 'file' || h.type === 'contiguous-file') {
        await readFile(d, name, h.size ?? 0, entry as unknown as Readable, contents, watched);
      } else {
        for await (const _ of entry);
        if (h.type === 'symlink') contents.links.set(name, archiveLinkTarget(name, h.linkname ?? ''));
        else if (h.type === 'link') contents.links.set(name, archivePath(h.linkname ?? '', 'hardlink target'));
        else if (h.type !== 'directory') throw invalidArgument(`invalid archive entry "${h.name}": unsupported type ${h.type}`);
      }
      current = undefined;
    }
  } catch (err) {
    // Leave the request readable to its end, so the client still gets the error.
    source.unpipe(sniff);
    source.resume();
    extract.destroy();
    const cause = firstError ?? err;
    if (cause instanceof BerthError) throw cause;
    const msg = (cause as Error).message ?? String(cause);
    const text = `${msg.charAt(0).toLowerCase()}${msg.slice(1)}`;
    if (layer) throw invalidArgument(`${layer.describe}: invalid archive: ${text}`);
    throw invalidArgument(`invalid archive: ${text}${current ? ` in "${current}"` : ''}`);
  }
}

async function readFile(
  d: Daemon,
  name: string,
  size: number,
  entry: Readable,
  contents: ArchiveContents,
  hooks: ReadHooks,
): Promise<void> {
  if (contents.files.has(name)) throw invalidArgument(`invalid archive: duplicate entry "${name}"`);
  const named = digestOfBlobPath(name);
  const target = await hooks.layerTarget(name, size);

  if (!target && size <= SMALL_FILE && contents.memory + size <= MEMORY_BUDGET) {
    const chunks: Buffer[] = [];
    for await (const c of entry) chunks.push(c as Buffer);
    const data = Buffer.concat(chunks);
    contents.memory += data.length;
    const file: ArchiveFile = { name, size: data.length, digest: sha256(data), data, kind: archiveKind(data.subarray(0, 512)) };
    if (named && named !== file.digest) mismatch(file, named);
    contents.files.set(name, file);
    hooks.onSmallFile(file);
    return;
  }

  // Already stored (and verified then): this copy is not needed.
  if (!target && named && (await d.content.has(named))) {
    let head = Buffer.alloc(0);
    for await (const c of entry) if (head.length < 512) head = Buffer.concat([head, c as Buffer]).subarray(0, 512);
    const stored = await d.content.info(named);
    contents.files.set(name, { name, size: stored.size, digest: named, kind: archiveKind(head) });
    return;
  }
  await spool(d, name, named, entry, contents, hooks, target);
}

/** Writes a large file into the content store; with a target, unpacks it at the same time. */
async function spool(
  d: Daemon,
  name: string,
  named: Digest | undefined,
  entry: Readable,
  contents: ArchiveContents,
  hooks: ReadHooks,
  target: LayerTarget | undefined,
): Promise<void> {
  const writer = await d.content.writer();
  const blob = new OrderedWrites(writer);
  let head: Buffer | undefined;
  let size = 0;
  let layer: { input: PassThrough; applying: Promise<{ diffId: string }> } | undefined;
  // Request chunks are 64 kB: hand both consumers 1 MB at a time (fewer syscalls and wake-ups).
  let batch: Buffer[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (batchBytes === 0) return;
    const data = batch.length === 1 ? batch[0] : Buffer.concat(batch, batchBytes);
    batch = [];
    batchBytes = 0;
    const stored = blob.push(data);
    if (layer && !layer.input.write(data)) {
      await Promise.all([stored, Promise.race([once(layer.input, 'drain'), layer.applying])]);
    } else {
      await stored;
    }
  };
  // What the file is (tar, gzip…) is decided on its first 512 bytes, which may come in several chunks.
  const sniff = () => {
    head = Buffer.concat(batch, batchBytes).subarray(0, 512);
    if (target) layer = startLayer(d, target, archiveKind(head));
  };
  try {
    for await (const c of entry) {
      const chunk = c as Buffer;
      size += chunk.length;
      batch.push(chunk);
      batchBytes += chunk.length;
      if (head === undefined && batchBytes >= 512) sniff();
      if (batchBytes >= BATCH) await flush();
    }
    if (head === undefined) sniff();
    await flush();
    await blob.done();
    layer?.input.end();
    const applied = layer && (await layer.applying);
    if (applied && target) {
      contents.snapshots.push(target.chainId);
      if (applied.diffId !== target.diffId) {
        throw invalidArgument(`${target.describe}: invalid diffID: expected "${target.diffId}", got "${applied.diffId}"`);
      }
    }
  } catch (err) {
    await blob.settled();
    if (layer) {
      // End (not destroy) the unpacker's input: it may not be reading yet, and a stream destroyed
      // before it is piped never tells it anything. A cut-off tar then fails on its own; if what
      // arrived happens to be a whole tar, the snapshot is made and must go with the rest.
      layer.input.end();
      const made = await layer.applying.then(() => true, () => false);
      if (target && made && !contents.snapshots.includes(target.chainId)) contents.snapshots.push(target.chainId);
    }
    await writer.abort();
    throw err;
  }
  const file: ArchiveFile = { name, size, digest: named ?? sha256(''), kind: archiveKind(head ?? Buffer.alloc(0)) };
  try {
    const info = await writer.commit(named);
    file.digest = info.digest;
    contents.stored.add(info.digest);
  } catch (err) {
    if (!(err instanceof BerthError) || err.kind !== 'InvalidArgument') throw err;
    mismatch(file, named!, /got (sha256:[a-f0-9]+)/.exec(err.message)?.[1]);
  }
  if (target && file.kind === 'tar' && file.digest !== target.diffId) {
    throw invalidArgument(`${target.describe}: invalid diffID: expected "${target.diffId}", got "${file.digest}"`);
  }
  if (target) {
    file.applied = target.chainId;
    hooks.onApplied(target, file);
  }
  contents.files.set(name, file);
}

const BATCH = 1 << 20;

/**
 * Writes to a content writer in order without making the reader wait for each
 * one: the next batch arrives from the network while the last goes to disk.
 * `push` only waits while more than `limit` bytes are queued.
 */
class OrderedWrites {
  private tail: Promise<void> = Promise.resolve();
  private queued = 0;
  private failure: unknown;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly writer: ContentWriter,
    private readonly limit = 8 << 20,
  ) {}

  async push(data: Buffer): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    this.queued += data.length;
    this.tail = this.tail
      .then(() => (this.failure === undefined ? this.writer.write(data) : undefined))
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(() => {
        this.queued -= data.length;
        for (const wake of this.waiters.splice(0)) wake();
      });
    while (this.queued > this.limit && this.failure === undefined) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failure !== undefined) throw this.failure;
  }

  /** Every write done; throws the first failure. */
  async done(): Promise<void> {
    await this.tail;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Every write finished, successfully or not (before the writer is aborted). */
  settled(): Promise<void> {
    return this.tail;
  }
}

function startLayer(d: Daemon, target: LayerTarget, kind: ArchiveKind) {
  const input = new PassThrough({ highWaterMark: 1 << 20 });
  input.on('error', () => {}); // reported through `applying`
  let tarStream: Readable = input;
  if (kind === 'gzip') {
    const gunzip = createGunzip({ chunkSize: 1 << 20 });
    input.on('error', (err) => gunzip.destroy(err));
    tarStream = input.pipe(gunzip);
  } else if (kind !== 'tar') {
    input.resume();
    const refused = Promise.reject(layerKindError(target.describe, kind));
    refused.catch(() => {}); // awaited later, maybe after other awaits
    return { input, applying: refused };
  }
  // A plain layer's diff ID is its blob's digest, which the content writer computes anyway: the unpacker
  // does not hash it a second time, and spool() checks that digest once the blob is committed.
  const knownDiffId = kind === 'tar' ? target.diffId : undefined;
  const applying = d.snapshots.applyLayer(target.chainId, target.parentChainId, tarStream, knownDiffId).catch((err: unknown) => {
    input.resume(); // keep the archive moving so the error surfaces where it is awaited
    throw wrapLayerError(target.describe, err);
  });
  applying.catch(() => {});
  return { input, applying };
}

export function layerKindError(describe: string, kind: ArchiveKind): BerthError {
  if (kind === 'bzip2' || kind === 'xz' || kind === 'zstd') return invalidArgument(`${describe}: unsupported layer compression: ${kind}`);
  return invalidArgument(`${describe}: not a tar archive or a gzip-compressed tar archive`);
}

export function wrapLayerError(describe: string, err: unknown): BerthError {
  const msg = err instanceof Error ? err.message : String(err);
  if (err instanceof BerthError && err.kind !== 'InvalidArgument') return new BerthError(err.kind, `${describe}: ${msg}`);
  if (err instanceof BerthError) return invalidArgument(`${describe}: ${msg}`);
  return internal(`${describe}: ${msg}`, err);
}

function mismatch(file: ArchiveFile, expected: Digest, got?: string): void {
  file.problem = `digest mismatch: expected ${expected}, got ${got ?? file.digest}`;
  file.digest = expected;
  file.data = undefined;
}

/** Holds back the first 512 bytes so `decide` can look at them before the rest flows on. */
function sniffer(decide: (head: Buffer) => void): Transform {
  let held: Buffer[] = [];
  let heldBytes = 0;
  let decided = false;
  const release = (t: Transform): Error | undefined => {
    decided = true;
    const head = Buffer.concat(held);
    held = [];
    try {
      decide(head.subarray(0, 512));
    } catch (err) {
      return err as Error;
    }
    if (head.length) t.push(head);
    return undefined;
  };
  return new Transform({
    highWaterMark: 1 << 20,
    transform(chunk: Buffer, _enc, cb) {
      if (decided) return cb(null, chunk);
      held.push(chunk);
      heldBytes += chunk.length;
      cb(heldBytes >= 512 ? release(this) : undefined);
    },
    flush(cb) {
      cb(decided ? undefined : release(this));
    },
  });
}
