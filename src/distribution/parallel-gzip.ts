// gzip on several cores, as pigz does: the input is cut into blocks compressed independently (on
// libuv's thread pool) and written out in order as consecutive gzip members — one valid gzip stream
// (RFC 1952 allows members back to back; Go's, Node's and zlib's readers all read on across them).
import { availableParallelism } from 'node:os';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

export interface ParallelGzipOptions {
  /** zlib level 1–9 (Docker's default is 6; 1–3 are several times faster). */
  level: number;
  /** Uncompressed bytes per member (default 4 MiB: the members cost ~18 bytes each). */
  blockSize?: number;
  /** Blocks in flight (default: the cores, at least 2). */
  parallel?: number;
}

export function parallelGzip(input: Readable, opts: ParallelGzipOptions): Readable {
  const blockSize = opts.blockSize ?? 4 << 20;
  const parallel = opts.parallel ?? Math.max(2, availableParallelism());
  const zopts = { level: opts.level, memLevel: 9 };
  async function* members(): AsyncGenerator<Buffer> {
    const inflight: Array<Promise<Buffer>> = [];
    let block = Buffer.allocUnsafe(blockSize);
    let fill = 0;
    let total = 0;
    for await (const chunk of input) {
      let buf = chunk as Buffer;
      total += buf.length;
      while (buf.length > 0) {
        const n = Math.min(buf.length, blockSize - fill);
        buf.copy(block, fill, 0, n);
        fill += n;
        buf = buf.subarray(n);
        if (fill === blockSize) {
          inflight.push(gzipAsync(block, zopts));
          block = Buffer.allocUnsafe(blockSize);
          fill = 0;
          if (inflight.length >= parallel) yield await inflight.shift()!;
        }
      }
    }
    // The last partial block; an empty input still makes one (empty) member.
    if (fill > 0 || total === 0) inflight.push(gzipAsync(block.subarray(0, fill), zopts));
    while (inflight.length > 0) yield await inflight.shift()!;
  }
  const out = Readable.from(members(), { objectMode: false, highWaterMark: 1 });
  input.on('error', (err) => out.destroy(err));
  return out;
}
