// Receives a build context (a tar, plain or gzip) as it streams in: file bytes go to one data file in
// large sequential writes, every entry is indexed and hashed (Docker's tarsum) on the way. Nothing is
// buffered whole and nothing is extracted; names leading outside the context are refused.
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { randomBytes, type Hash } from 'node:crypto';
import { BuildContext, type ContextEntry } from './build-context.js';
import type { EntryType } from './source-fs.js';
import { TarReader, type TarHeader, type TarSink } from './tar-reader.js';
import { tarsumHash } from './tarsum.js';

/** The context is not a tar (or a compression Docker accepts but we do not). */
export class ContextError extends Error {}

/** A file up to this size waits in memory until its hash tells whether the store has it already. */
const MEM_LIMIT = 8 << 20;
/** Bytes waiting to be written before the input is paused. */
const HIGH_WATER = 64 << 20;

/**
 * The blob store's writer: blobs are written (to a temp name, then renamed) one after the other in the
 * background; the caller pauses its input while `full`. Blobs the store has already are not written
 * again, which is what makes a rebuild of an unchanged context cheap.
 */
class BlobWriter {
  private chain: Promise<void> = Promise.resolve();
  private queued = 0;
  private error: unknown;
  private waiters: Array<() => void> = [];
  private n = 0;

  constructor(
    private readonly store: string,
    readonly known: Set<string>,
  ) {}

  get full(): boolean {
    return this.queued >= HIGH_WATER;
  }

  /** A temp path in the store (same filesystem, so the rename is atomic). */
  tempPath(): string {
    return path.join(this.store, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}-${this.n++}`);
  }

  /** Queues `job` (which writes `bytes`); errors surface at the next check or at close(). */
  enqueue(bytes: number, job: () => Promise<void>): void {
    if (this.error) throw this.error;
    this.queued += bytes;
    this.chain = this.chain.then(job).then(
      () => this.done(bytes),
      (err) => {
        this.error ??= err;
        this.done(bytes);
      },
    );
  }

  private done(bytes: number): void {
    this.queued -= bytes;
    if (!this.full) for (const w of this.waiters.splice(0)) w();
  }

  async drained(): Promise<void> {
    while (this.full && !this.error) await new Promise<void>((r) => this.waiters.push(r));
    if (this.error) throw this.error;
  }

  async close(): Promise<void> {
    await this.chain;
    if (this.error) throw this.error;
  }
}

/** One file on its way in: in memory while small, spilled to a temp file beyond MEM_LIMIT. */
class IncomingFile {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private spill?: { tmp: string; fh?: FileHandle };

  constructor(private readonly w: BlobWriter) {}

  data(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (!this.spill && this.bytes <= MEM_LIMIT) {
      this.chunks.push(chunk);
      return;
    }
    if (!this.spill) {
      const spill: { tmp: string; fh?: FileHandle } = { tmp: this.w.tempPath() };
      this.spill = spill;
      const first = this.chunks;
      this.chunks = [];
      this.w.enqueue(sum(first), async () => {
        spill.fh = await fs.open(spill.tmp, 'wx', 0o600);
        await writeAll(spill.fh, first);
      });
    }
    const spill = this.spill;
    this.w.enqueue(chunk.length, () => writeAll(spill.fh!, [chunk]));
  }

  /** The file is complete and hashes as `name`: stored under it unless the store has it. */
  end(name: string, store: string): void {
    const final = path.join(store, name);
    const isNew = !this.w.known.has(name);
    this.w.known.add(name);
    const spill = this.spill;
    if (spill) {
      this.w.enqueue(0, async () => {
        await spill.fh!.close();
        if (isNew) await fs.rename(spill.tmp, final);
        else await fs.unlink(spill.tmp);
      });
      return;
    }
    if (!isNew) return;
    const chunks = this.chunks;
    const tmp = this.w.tempPath();
    this.w.enqueue(this.bytes, async () => {
      const fh = await fs.open(tmp, 'wx', 0o600);
      try {
        await writeAll(fh, chunks);
      } finally {
        await fh.close();
      }
      await fs.rename(tmp, final);
    });
  }

  get written(): boolean {
    return this.spill !== undefined || this.chunks.length > 0;
  }
}

const sum = (bufs: Buffer[]) => bufs.reduce((n, b) => n + b.length, 0);

async function writeAll(fh: FileHandle, bufs: Buffer[]): Promise<void> {
  let rest = bufs;
  while (rest.length > 0) {
    let { bytesWritten } = await fh.writev(rest);
    const next: Buffer[] = [];
    for (const b of rest) {
      if (bytesWritten >= b.length) bytesWritten -= b.length;
      else {
        next.push(bytesWritten > 0 ? b.subarray(bytesWritten) : b);
        bytesWritten = 0;
      }
    }
    rest = next;
  }
}

const ENTRY_TYPES: Record<string, EntryType> = {
  '0': 'file', '7': 'file', '1': 'file', '5': 'dir', '2': 'symlink', '3': 'char', '4': 'block', '6': 'fifo',
};

/** An entry name made relative and clean; throws when it climbs out of the context. */
export function contextName(name: string): string {
  const out: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) throw new ContextError(`invalid build context: ${JSON.stringify(name)} is outside of the context`);
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/**
 * Reads the whole context stream: the index in memory, file bytes into the blob store `store` (created
 * if need be), `dir` created for the build's own files (left for the caller to remove).
 */
export async function receiveContext(body: Readable, dir: string, store: string): Promise<BuildContext> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.mkdir(store, { recursive: true, mode: 0o700 });
  const ctx = new BuildContext(dir, store);
  const writer = new BlobWriter(store, new Set((await fs.readdir(store)).filter((n) => !n.startsWith('.'))));
  try {
    const input = await decompressed(body);
    const reader = new TarReader(indexer(ctx, writer));
    await new Promise<void>((resolve, reject) => {
      // On a bad entry the rest is drained unread, so the request can still be answered (an error).
      const fail = (err: unknown) => {
        input.removeAllListeners('data');
        input.on('data', () => {});
        input.resume();
        reject(err);
      };
      input.on('data', (chunk: Buffer) => {
        try {
          reader.push(chunk);
        } catch (err) {
          fail(err);
          return;
        }
        if (writer.full) {
          input.pause();
          writer.drained().then(() => input.resume(), fail);
        }
      });
      input.on('error', fail);
      input.on('end', () => {
        try {
          reader.close();
          resolve();
        } catch (err) {
          reject(err);
        }
      });
    });
    await writer.close();
    return ctx;
  } catch (err) {
    await writer.close().catch(() => {});
    if (err instanceof ContextError) throw err;
    throw new ContextError(`failed to read the build context: ${(err as Error).message}`);
  }
}

/** Indexes each entry as it streams: its tarsum, the blob holding its bytes, its metadata. */
function indexer(ctx: BuildContext, writer: BlobWriter): TarSink {
  let current: { h: TarHeader; hash: Hash; file?: IncomingFile } | undefined;
  return {
    header(h) {
      const regular = h.typeflag === '0' || h.typeflag === '7';
      current = { h, hash: tarsumHash({ ...h, uname: '', gname: '' }), file: regular && h.size > 0 ? new IncomingFile(writer) : undefined };
    },
    data(chunk) {
      current!.hash.update(chunk);
      current!.file!.data(chunk);
    },
    end() {
      const { h, hash, file } = current!;
      current = undefined;
      const digest = hash.digest('hex');
      ctx.dataSize += file ? h.size : 0;
      const rel = contextName(h.name);
      const type = ENTRY_TYPES[h.typeflag];
      // The root itself and sockets and the like are left out (their bytes, if any, were not kept).
      if (rel === '' || !type) return;
      let blob = '';
      if (file) {
        // Named by the entry's tarsum: an unchanged file (same name, header and bytes) is never written twice.
        blob = digest;
        if (!writer.known.has(blob)) ctx.storedSize += h.size;
        file.end(blob, ctx.store);
      }
      const e: ContextEntry = {
        type,
        mode: h.mode & 0o7777,
        uid: h.uid,
        gid: h.gid,
        size: type === 'file' ? h.size : 0,
        mtime: h.mtime,
        linkname: type === 'symlink' ? h.linkname : '',
        devmajor: h.devmajor,
        devminor: h.devminor,
        hash: digest,
        blob,
      };
      if (h.typeflag === '1') {
        // A hard link shares the bytes of the entry it names.
        const target = ctx.lstat(contextName(h.linkname));
        if (!target || target.type !== 'file') throw new ContextError(`invalid build context: hard link ${h.name} to a missing file`);
        e.blob = target.blob;
        e.size = target.size;
        e.mode = target.mode;
      }
      ctx.put(rel, e);
    },
  };
}

/** The body as a plain tar stream: gzip is inflated, other compressions are refused. */
async function decompressed(body: Readable): Promise<Readable> {
  const head = await peek(body, 6);
  if (head.subarray(0, 3).toString('latin1') === 'BZh' || head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) {
    throw new ContextError('unsupported build context compression: only plain and gzip-compressed tar archives are accepted');
  }
  if (!(head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)) return body;
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  body.on('error', (err) => gunzip.destroy(err));
  return body.pipe(gunzip);
}

/** The first `n` bytes (fewer at the end), put back into the stream. */
async function peek(body: Readable, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let len = 0;
  while (len < n) {
    const c = body.read() as Buffer | null;
    if (c !== null) {
      chunks.push(c);
      len += c.length;
      continue;
    }
    if (body.readableEnded || body.destroyed) break;
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        body.off('readable', done);
        body.off('end', done);
        body.off('error', onError);
        resolve();
      };
      const onError = (err: Error) => {
        done();
        reject(err);
      };
      body.on('readable', done);
      body.on('end', done);
      body.on('error', onError);
    });
  }
  const head = Buffer.concat(chunks);
  if (head.length > 0) body.unshift(head);
  return head;
}
