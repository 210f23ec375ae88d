// SHA-256 computed on libuv's thread pool (native/sha256_async.c): the main thread only queues the
// bytes, so hashing a layer overlaps the event loop's other work instead of taking a third of it.
import { native, type Sha256Handle } from './native.js';

export class PooledSha256 {
  private readonly handle: Sha256Handle = native().sha256Create();
  private tail: Promise<void> = Promise.resolve();
  private queuedBytes = 0;

  /** Queues `chunk`, which must stay unchanged until the returned promise resolves (it is hashed then). */
  update(chunk: Buffer): Promise<void> {
    this.queuedBytes += chunk.length;
    const hashed = this.tail.then(() => native().sha256Update(this.handle, chunk));
    this.tail = hashed.then(() => {
      this.queuedBytes -= chunk.length;
    });
    // A failure surfaces from digest() (and from this promise, to a caller that waits for it).
    this.tail.catch(() => {});
    return this.tail;
  }

  /** Bytes queued and not hashed yet. */
  get backlog(): number {
    return this.queuedBytes;
  }

  /** The hex digest, once everything queued is hashed. Call once. */
  async digest(): Promise<string> {
    await this.tail;
    return native().sha256Digest(this.handle);
  }
}
