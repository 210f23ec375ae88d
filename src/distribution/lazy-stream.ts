// A readable that builds its source only when first read, and fails only once read: a consumer that
// attaches its error handler before it starts reading (as the snapshotter's unpack does) never misses
// an error that happened in between.
import { Readable } from 'node:stream';

export interface LazyReadable extends Readable {
  /** Fails the stream: at once if reading has begun, else on the first read. */
  fail(err: Error): void;
}

export function lazyReadable(factory: () => Readable): LazyReadable {
  let src: Readable | undefined;
  let pendingError: Error | undefined;
  const out = new Readable({
    highWaterMark: 1 << 20,
    read() {
      if (pendingError) {
        out.destroy(pendingError);
        return;
      }
      if (src) {
        src.resume();
        return;
      }
      try {
        src = factory();
      } catch (err) {
        out.destroy(err as Error);
        return;
      }
      src.on('data', (c: Buffer) => {
        if (!out.push(c)) src!.pause();
      });
      src.on('end', () => out.push(null));
      src.on('error', (err) => out.destroy(err));
    },
    destroy(err, cb) {
      src?.destroy();
      cb(err);
    },
  }) as LazyReadable;
  out.fail = (err: Error) => {
    if (src) out.destroy(err);
    else pendingError ??= err;
  };
  return out;
}
