// Downloads one blob into a partial file beside the content store, resuming with Range from what an
// earlier, interrupted pull left there, while teeing the bytes into a content-store writer that verifies
// the digest. Any number of readers may follow the partial file as it grows (the layer extraction does),
// and see its end only once the digest has been verified.
import { EventEmitter } from 'node:events';
import { constants as fsc, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { BlobInfo, ContentWriter } from '../core/content.js';
import type { Digest } from '../oci/digest.js';
import { TransportError } from './http-transport.js';
import { RegistryError, UnexpectedResponseError } from './registry-errors.js';
import type { RegistryRepository } from './registry-repository.js';

export interface BlobDownloadOptions {
  repo: RegistryRepository;
  digest: string;
  size: number;
  partialPath: string;
  /** A fresh content-store writer (a restart from byte 0 needs a new one). */
  newWriter(): Promise<ContentWriter>;
  /** Attempts in all (Docker's --max-download-attempts, default 5). */
  attempts: number;
  /** Delay before retry `n` (1-based). */
  retryDelayMs(n: number): number;
  onProgress?(current: number, total: number): void;
  onRetry?(delayMs: number, err: Error): void;
  signal?: AbortSignal;
}

/** The blob did not match its digest (or size): it is dropped, never retried. */
export class BlobVerificationError extends Error {
  override name = 'BlobVerificationError';
}

const READ_CHUNK = 1 << 20;
const WRITE_BATCH = 1 << 20;

export class BlobDownload {
  /** Bytes in the partial file. */
  written = 0;
  /** What the download did: fetched over the network, or found complete in the partial file. */
  resumedFrom = 0;
  readonly done: Promise<BlobInfo>;
  private state: 'running' | 'verified' | 'failed' = 'running';
  private failure?: Error;
  private readonly changes = new EventEmitter();
  private fh?: fs.FileHandle;
  private readonly opened: Promise<void>;
  private openedOk!: () => void;
  private users = 1;

  constructor(private readonly o: BlobDownloadOptions) {
    this.changes.setMaxListeners(0);
    this.opened = new Promise((resolve) => (this.openedOk = resolve));
    this.done = this.run().finally(() => this.release());
    this.done.catch(() => {});
  }

  /** A stream of the blob's bytes from the start; it ends once the digest is verified, or fails with the download. */
  follow(): Readable {
    this.users++;
    let pos = 0;
    let pumping = false;
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        this.release();
      }
    };
    const stream = new Readable({
      highWaterMark: READ_CHUNK,
      read: () => {
        if (!pumping) {
          pumping = true;
          void pump();
        }
      },
      destroy: (err, cb) => {
        release();
        cb(err);
      },
    });
    const pump = async (): Promise<void> => {
      try {
        await this.opened;
        for (;;) {
          if (stream.destroyed) return;
          if (this.fh && pos < this.written) {
            const want = Math.min(READ_CHUNK, this.written - pos);
            const buf = Buffer.allocUnsafe(want);
            const { bytesRead } = await this.fh.read(buf, 0, want, pos);
            if (bytesRead === 0) {
              await this.changed();
              continue;
            }
            pos += bytesRead;
            if (!stream.push(bytesRead === want ? buf : buf.subarray(0, bytesRead))) {
              pumping = false;
              return;
            }
          } else if (this.state === 'verified') {
            stream.push(null);
            release();
            return;
          } else if (this.state === 'failed') {
            stream.destroy(this.failure);
            return;
          } else {
            await this.changed();
          }
        }
      } catch (err) {
        stream.destroy(err as Error);
      }
    };
    return stream;
  }

  /** Calls `fn` whenever bytes arrive or the download ends; returns the unsubscribe function. */
  watch(fn: () => void): () => void {
    this.changes.on('change', fn);
    return () => this.changes.off('change', fn);
  }

  /** running, then verified (the blob is in the content store) or failed. */
  get outcome(): 'running' | 'verified' | 'failed' {
    return this.state;
  }

  private changed(): Promise<void> {
    return new Promise((resolve) => this.changes.once('change', resolve));
  }

  private notify(): void {
    this.changes.emit('change');
  }

  private release(): void {
    if (--this.users === 0) void this.fh?.close().catch(() => {});
  }

  private async run(): Promise<BlobInfo> {
    const { o } = this;
    let writer: ContentWriter | undefined;
    let keepPartial = false;
    try {
      await fs.mkdir(path.dirname(o.partialPath), { recursive: true, mode: 0o700 });
      this.fh = await fs.open(o.partialPath, fsc.O_RDWR | fsc.O_CREAT, 0o600);
      this.openedOk();
      writer = await o.newWriter();
      this.written = await this.replayPartial(writer);
      this.resumedFrom = this.written;
      o.onProgress?.(this.written, o.size);
      for (let attempt = 1; ; attempt++) {
        try {
          if (this.written < o.size) writer = await this.fetch(writer);
          break;
        } catch (err) {
          o.signal?.throwIfAborted();
          if (!isRetryable(err)) throw err;
          if (attempt >= o.attempts) {
            keepPartial = true;
            throw err;
          }
          const delay = o.retryDelayMs(attempt);
          o.onRetry?.(delay, err as Error);
          await sleep(delay, o.signal);
        }
      }
      let info: BlobInfo;
      try {
        info = await writer.commit(o.digest as Digest);
      } catch (err) {
        writer = undefined;
        throw new BlobVerificationError(`filesystem layer verification failed for digest ${o.digest}`, { cause: err });
      }
      writer = undefined;
      this.state = 'verified';
      this.notify();
      await fs.rm(o.partialPath, { force: true });
      return info;
    } catch (err) {
      this.openedOk();
      if (o.signal?.aborted && !(err instanceof BlobVerificationError)) keepPartial = true;
      this.failure = err as Error;
      this.state = 'failed';
      this.notify();
      await writer?.abort().catch(() => {});
      if (!keepPartial) await fs.rm(o.partialPath, { force: true });
      throw err;
    }
  }

  /** Feeds what an earlier pull left in the partial file to the writer; returns its length. */
  private async replayPartial(writer: ContentWriter): Promise<number> {
    const fh = this.fh!;
    const { size } = await fh.stat();
    if (size > this.o.size) {
      await fh.truncate(0);
      return 0;
    }
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    let pos = 0;
    while (pos < size) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(READ_CHUNK, size - pos), pos);
      if (bytesRead === 0) break;
      await writer.write(Buffer.from(buf.subarray(0, bytesRead)));
      pos += bytesRead;
    }
    return pos;
  }

  /** One GET from `written` on; returns the writer to go on with (a new one if the registry restarted at 0). */
  private async fetch(writer: ContentWriter): Promise<ContentWriter> {
    const { o } = this;
    const fh = this.fh!;
    const res = await o.repo.getBlob(o.digest, this.written);
    const abort = () => res.destroy(new Error('pull cancelled'));
    o.signal?.addEventListener('abort', abort, { once: true });
    try {
      if (this.written > 0 && res.statusCode === 200) {
        // The registry ignored the range: start over.
        await writer.abort();
        writer = await o.newWriter();
        await fh.truncate(0);
        this.written = 0;
        this.resumedFrom = 0;
      } else if (res.statusCode === 206) {
        const start = /^bytes (\d+)-/.exec(String(res.headers['content-range'] ?? ''))?.[1];
        if (start !== undefined && Number(start) !== this.written) {
          res.destroy();
          throw new UnexpectedResponseError(`registry answered range ${start}- for bytes ${this.written}-`, 206);
        }
      }
      // Socket reads come in ~64 KiB pieces: write them in batches of WRITE_BATCH.
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const flush = async () => {
        if (pendingBytes === 0) return;
        const buf = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
        await Promise.all([fh.write(buf, 0, buf.length, this.written), writer.write(buf)]);
        this.written += buf.length;
        this.notify();
        o.onProgress?.(this.written, o.size);
      };
      try {
        for await (const chunk of res) {
          const buf = chunk as Buffer;
          if (this.written + pendingBytes + buf.length > o.size) {
            throw new BlobVerificationError(`filesystem layer verification failed for digest ${o.digest}: more than ${o.size} bytes`);
          }
          pending.push(buf);
          pendingBytes += buf.length;
          if (pendingBytes >= WRITE_BATCH) await flush();
        }
      } catch (err) {
        // A body cut short reads as Go's "unexpected EOF"; what arrived is kept (below).
        const code = (err as NodeJS.ErrnoException).code;
        const cut = code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (err as Error).message === 'aborted';
        if (!cut || o.signal?.aborted) throw err;
        throw new TransportError('unexpected EOF', code ?? 'EOF');
      } finally {
        // What arrived before a failure is kept: the next attempt resumes after it.
        await flush();
      }
      if (this.written < o.size) throw new TransportError('unexpected EOF', 'EOF');
      return writer;
    } finally {
      o.signal?.removeEventListener('abort', abort);
    }
  }
}

/** Network trouble and server-side failures are worth another attempt; answers about the blob are not. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof BlobVerificationError) return false;
  if (err instanceof RegistryError) return err.code === 'TOOMANYREQUESTS' || err.status >= 500;
  if (err instanceof UnexpectedResponseError) return err.status >= 500 || err.status === 429 || err.status === 206;
  if (err instanceof TransportError) return true;
  const code = (err as NodeJS.ErrnoException).code;
  return (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ETIMEDOUT' ||
    code === 'ECONNREFUSED' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (err as Error).message === 'aborted'
  );
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
