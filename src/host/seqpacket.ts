// A Duplex over a SOCK_SEQPACKET unix socket (conmon's attach socket), which
// Node's `net` cannot open. Each message read is one chunk; each chunk
// written is sent as messages of at most MAX_MESSAGE bytes. end() shuts
// down the write side only, so reading continues.
import { Duplex } from 'node:stream';
import { native, type SeqpacketHandle } from './native.js';

/** conmon reads the attach socket in buffers of this size. */
const MAX_MESSAGE = 8192;

export class SeqpacketSocket extends Duplex {
  private readonly handle: SeqpacketHandle;
  private pending?: { data: Buffer; cb: (err?: Error | null) => void };
  private shut = false;

  constructor(socketPath: string) {
    super({ allowHalfOpen: true });
    const n = native();
    const fd = n.seqpacketConnect(socketPath);
    this.handle = n.seqpacketWatch(fd, (kind, data) => {
      if (kind === 0 && data) this.push(data);
      else if (kind === 1) this.push(null);
      else if (kind === 2) this.flush();
    });
  }

  override _read(): void {
    // Messages are pushed as they arrive; conmon never waits on us for long.
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.pending = { data: chunk, cb };
    this.flush();
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (!this.shut) native().seqpacketShutdown(this.handle);
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (!this.shut) {
      this.shut = true;
      native().seqpacketClose(this.handle);
    }
    const p = this.pending;
    this.pending = undefined;
    p?.cb(err ?? new Error('socket closed'));
    cb(err);
  }

  private flush(): void {
    while (this.pending && !this.shut) {
      const { data, cb } = this.pending;
      if (data.length === 0) {
        this.pending = undefined;
        cb();
        return;
      }
      let sent: number;
      try {
        sent = native().seqpacketWrite(this.handle, data.subarray(0, MAX_MESSAGE));
      } catch (err) {
        this.pending = undefined;
        cb(err as Error);
        return;
      }
      if (sent < 0) return; // wait for cb(2)
      this.pending.data = data.subarray(sent);
      if (this.pending.data.length === 0) {
        this.pending = undefined;
        cb();
      }
    }
  }
}
