// SHA-256 computed on libuv's thread pool (native/sha256_async.c): the main thread only queues the
// bytes, so hashing a layer overlaps the event loop's other work instead of taking a third of it.
import { native, type Sha256Handle } from './native.js';

/** Chunks are gathered up to this many bytes per pool job (pipe reads come in 64 KiB pieces). */
const BATCH = 1 << 20;

export class PooledSha256 {
  private readonly handle: Sha256Handle = native().sha256Create();
  private tail: Promise<void> = Promise.resolve();
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private queuedBytes = 0;

  /** Queues `chunk`, which must stay unchanged until hashed() resolves. */
  update(chunk: Buffer): void {
    this.batch.push(chunk);
    this.batchBytes += chunk.length;
    this.queuedBytes += chunk.length;
    if (this.batchBytes >= BATCH) this.flush();
  }

  /** Resolves once everything queued so far is hashed. */
  hashed(): Promise<void> {
    this.flush();
    return this.tail;
  }

  /** Bytes queued and not hashed yet. */
  get backlog(): number {
    return this.queuedBytes;
  }

  /** The hex digest, once everything queued is hashed. Call once. */
  async digest(): Promise<string> {
    await this.hashed();
    return native().sha256Digest(this.handle);
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const parts = this.batch;
    const bytes = this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    this.tail = this.tail
      .then(() => native().sha256Update(this.handle, parts))
      .then(() => {
        this.queuedBytes -= bytes;
      });
    // A failure surfaces from hashed() and digest().
    this.tail.catch(() => {});
  }
}
