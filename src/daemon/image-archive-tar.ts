// A minimal ustar writer for `save`: directories, small files and blobs of a
// known size streamed straight from the content store into the response,
// waiting for 'drain' so a slow reader slows the disk reads down.
import type { Readable, Writable } from 'node:stream';
import { internal } from '../errdefs/errors.js';

const BLOCK = 512;
const ZEROS = Buffer.alloc(2 * BLOCK);

export class TarWriter {
  private failure?: Error;
  private waiting?: { resolve: () => void; reject: (err: Error) => void };

  constructor(private readonly out: Writable) {
    const fail = (err?: Error) => {
      this.failure ??= err ?? new Error('the client closed the connection');
      this.waiting?.reject(this.failure);
    };
    out.on('error', fail);
    out.on('close', () => fail());
    out.on('drain', () => this.waiting?.resolve());
  }

  dir(name: string, mtime: Date): Promise<void> {
    return this.write(header(name.endsWith('/') ? name : `${name}/`, 0, '5', 0o755, mtime));
  }

  async file(name: string, data: Buffer, mtime: Date): Promise<void> {
    await this.write(header(name, data.length, '0', 0o644, mtime));
    await this.write(data);
    await this.pad(data.length);
  }

  /** Streams `size` bytes from `src`; a source of any other length is an error (the tar would be corrupt). */
  async stream(name: string, size: number, src: Readable, mtime: Date): Promise<void> {
    await this.write(header(name, size, '0', 0o644, mtime));
    let n = 0;
    try {
      for await (const chunk of src) {
        n += (chunk as Buffer).length;
        if (n > size) throw internal(`${name}: blob grew while saving`);
        await this.write(chunk as Buffer);
      }
    } finally {
      src.destroy();
    }
    if (n !== size) throw internal(`${name}: blob is ${n} bytes, expected ${size}`);
    await this.pad(size);
  }

  /** The two zero blocks that end an archive, then the end of `out`. */
  async end(): Promise<void> {
    await this.write(ZEROS);
    await new Promise<void>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      // A connection closed before the end is flushed rejects instead of leaving this pending.
      this.waiting = { resolve, reject };
      this.out.end(() => resolve());
    }).finally(() => (this.waiting = undefined));
  }

  private pad(size: number): Promise<void> {
    const rest = size % BLOCK;
    return rest === 0 ? Promise.resolve() : this.write(ZEROS.subarray(0, BLOCK - rest));
  }

  private async write(buf: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.out.write(buf)) return;
    await new Promise<void>((resolve, reject) => {
      this.waiting = { resolve, reject };
    }).finally(() => (this.waiting = undefined));
  }
}

/** One ustar header block. Names here are archive-layout names, always short. */
export function header(name: string, size: number, type: '0' | '5', mode: number, mtime: Date): Buffer {
  const h = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(name) > 100) throw internal(`tar entry name too long: ${name}`);
  h.write(name, 0, 100, 'utf8');
  octal(h, 100, 8, mode);
  octal(h, 108, 8, 0); // uid
  octal(h, 116, 8, 0); // gid
  if (size > 0o77777777777) base256(h, 124, 12, size);
  else octal(h, 124, 12, size);
  octal(h, 136, 12, Math.max(0, Math.floor(mtime.getTime() / 1000)));
  h.write(type, 156, 1, 'latin1');
  h.write('ustar\x0000', 257, 8, 'latin1');
  h.write('root', 265, 32, 'latin1');
  h.write('root', 297, 32, 'latin1');
  // The checksum is computed with its own field read as eight spaces.
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += h[i];
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return h;
}

function octal(h: Buffer, off: number, len: number, value: number): void {
  h.write(`${value.toString(8).padStart(len - 1, '0')}\0`, off, len, 'latin1');
}

/** GNU base-256 for sizes of 8 GiB and more. */
function base256(h: Buffer, off: number, len: number, value: number): void {
  let v = BigInt(value);
  for (let i = off + len - 1; i > off; i--) {
    h[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  h[off] = 0x80;
}
