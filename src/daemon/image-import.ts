// POST /images/create?fromSrc=: `docker import`. The archive is stored as
// given (gzip stays gzip) while its tar is hashed and checked, then unpacked
// into the layer snapshot keyed by its diff ID.
import { createHash } from 'node:crypto';
import { PassThrough, Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import type { JsonMessage } from '../api/types.js';
import type { ImageRecord, LayerRecord } from '../core/images.js';
import { BerthError, internal, invalidArgument } from '../errdefs/errors.js';
import type { Digest } from '../oci/digest.js';
import { goArch, MEDIA_TYPES, type ImageConfig } from '../oci/image.js';
import { familiarName, fullName } from '../oci/reference.js';
import type { Daemon } from './daemon.js';
import { applyChanges, blankConfig } from './image-changes.js';
import { rfc3339Nano } from './image-filters.js';
import { repoTagReference } from './image-tag.js';
import { IMAGES_LOCK } from './image-usage.js';

export interface ImageImportOptions {
  source: Readable;
  repo?: string;
  tag?: string;
  /** `-m`: replaces the default "Imported from <fromSrc>" comment. */
  message?: string;
  changes?: string[];
  /** Where the archive came from: "-" (the request body, default) or the URL. */
  fromSrc?: string;
}

interface Ingested {
  layer: LayerRecord;
  gzip: boolean;
}

export async function imageImport(
  d: Daemon,
  opts: ImageImportOptions,
  progress: (m: JsonMessage) => void,
): Promise<string> {
  // Everything that can be refused is refused before any byte is stored.
  const ref = repoTagReference(opts.repo, opts.tag);
  const config = applyChanges(blankConfig(), opts.changes);
  const comment = opts.message || `Imported from ${opts.fromSrc ?? '-'}`;
  const { layer, gzip } = await ingest(d, opts.source);

  const undo: Array<() => Promise<unknown>> = [];
  try {
    const id = await d.lock(IMAGES_LOCK, async () => {
      let size: number;
      const existing = await d.snapshots.stat(layer.diffId);
      if (existing) {
        size = existing.size;
      } else {
        const res = await d.snapshots.applyLayer(layer.diffId, undefined, layerTar(d, layer.blob, gzip));
        undo.push(() => d.snapshots.remove(layer.diffId));
        if (res.diffId !== layer.diffId) throw internal(`layer ${layer.blob} changed while importing`);
        size = res.size;
      }
      const created = rfc3339Nano(new Date());
      const imageConfig: ImageConfig = {
        comment,
        created,
        config,
        architecture: goArch(),
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: [layer.diffId] },
        history: [{ created, comment }],
      };
      const blob = await d.content.put(Buffer.from(JSON.stringify(imageConfig)));
      undo.push(() => d.content.delete(blob.digest));
      const record: ImageRecord = { id: blob.digest, config: imageConfig, layers: [layer], size };
      if (ref) record.lastTagTime = created;
      await d.images.put(record);
      undo.push(() => d.images.delete(record.id));
      if (ref) {
        await d.images.setReference(fullName(ref), record.id);
        d.events.publish('image', 'tag', record.id, { name: familiarName(ref) });
      }
      d.events.publish('image', 'import', record.id, { name: record.id });
      return record.id;
    });
    progress({ status: id });
    return id;
  } catch (err) {
    for (const step of undo.reverse()) await step().catch(() => {});
    // The layer blob may be shared with an image imported from the same bytes.
    if (!d.images.list().some((img) => img.layers.some((l) => l.blob === layer.blob))) {
      await d.content.delete(layer.blob).catch(() => {});
    }
    throw err;
  }
}

/** Pass one: store the archive as given while checking the tar and hashing it (the diff ID). */
async function ingest(d: Daemon, source: Readable): Promise<Ingested> {
  const it = source[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  let head = Buffer.alloc(0);
  while (head.length < 512) {
    const r = await it.next();
    if (r.done) break;
    head = Buffer.concat([head, Buffer.from(r.value)]);
  }
  const gzip = detectArchive(head);

  const writer = await d.content.writer();
  let sourceError: unknown;
  async function* body(): AsyncGenerator<Buffer> {
    try {
      await writer.write(head);
      yield head;
      for (let r = await it.next(); !r.done; r = await it.next()) {
        const chunk = Buffer.from(r.value);
        await writer.write(chunk);
        yield chunk;
      }
    } catch (err) {
      sourceError = err;
      throw err;
    }
  }
  const hash = createHash('sha256');
  const input = Readable.from(body(), { objectMode: false });
  const inflate = gzip ? createGunzip() : new PassThrough();
  const hasher = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      cb(null, chunk);
    },
  });
  const extract = tar.extract();
  let firstError: unknown;
  extract.on('error', (err) => (firstError ??= err));
  input.on('error', (err) => inflate.destroy(err));
  inflate.on('error', (err) => hasher.destroy(err));
  hasher.on('error', (err) => extract.destroy(err));
  input.pipe(inflate).pipe(hasher).pipe(extract as unknown as NodeJS.WritableStream);
  try {
    for await (const entry of extract) for await (const _ of entry);
  } catch (err) {
    input.destroy();
    await writer.abort();
    const cause = sourceError ?? firstError ?? err;
    if (sourceError !== undefined || cause instanceof BerthError) throw cause;
    throw invalidArgument(`invalid archive: ${(cause as Error).message ?? cause}`);
  }
  const info = await writer.commit();
  return {
    gzip,
    layer: {
      blob: info.digest,
      mediaType: gzip ? MEDIA_TYPES.ociLayerGzip : MEDIA_TYPES.ociLayerTar,
      blobSize: info.size,
      diffId: `sha256:${hash.digest('hex')}`,
    },
  };
}

/** Pass two: the stored blob as an uncompressed tar stream. */
export function layerTar(d: Daemon, blob: Digest, gzip: boolean): Readable {
  const raw = d.content.createReadStream(blob);
  if (!gzip) return raw;
  const gunzip = createGunzip();
  raw.on('error', (err) => gunzip.destroy(err));
  return raw.pipe(gunzip);
}

/** True for gzip, false for a plain tar; anything else is refused before it is stored. */
export function detectArchive(head: Buffer): boolean {
  const kind = archiveKind(head);
  if (kind === 'empty') throw invalidArgument('invalid archive: empty input');
  if (kind === 'gzip') return true;
  if (kind === 'tar') return false;
  if (kind !== 'unknown') throw invalidArgument(`unsupported archive compression: ${kind} (only tar and gzip-compressed tar can be imported)`);
  throw invalidArgument('invalid archive: not a tar archive or a gzip-compressed tar archive');
}

export type ArchiveKind = 'empty' | 'gzip' | 'tar' | 'bzip2' | 'xz' | 'zstd' | 'unknown';

/** What the first bytes (up to 512) of an archive say it is. */
export function archiveKind(head: Buffer): ArchiveKind {
  if (head.length === 0) return 'empty';
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  const other = compressionName(head);
  if (other) return other;
  if (head.length >= 512 && (isZeroBlock(head) || tarChecksumOk(head))) return 'tar';
  return 'unknown';
}

function compressionName(h: Buffer): 'bzip2' | 'xz' | 'zstd' | undefined {
  if (h.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (h.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  if (h.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))) return 'zstd';
  return undefined;
}

function isZeroBlock(h: Buffer): boolean {
  for (let i = 0; i < 512; i++) if (h[i] !== 0) return false;
  return true;
}

/** A tar header's checksum field: the byte sum with the field itself read as spaces. */
function tarChecksumOk(h: Buffer): boolean {
  let sum = 8 * 0x20;
  for (let i = 0; i < 512; i++) if (i < 148 || i >= 156) sum += h[i];
  const field = h.subarray(148, 156).toString('latin1').replace(/[\0 ]+$/g, '').trim();
  return /^[0-7]+$/.test(field) && parseInt(field, 8) === sum;
}

