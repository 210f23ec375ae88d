// A layer blob's bytes to its tar stream, whatever the compression says it is: the first bytes decide
// (gzip, zstd, or a plain tar), as Docker's DecompressStream does, so mislabelled layers still unpack.
import { PassThrough, Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { decompressWith, hasDecompressTool } from '../host/decompress-command.js';

const GZIP = [0x1f, 0x8b];
const ZSTD = [0x28, 0xb5, 0x2f, 0xfd];

/** Large inflate chunks: fewer, bigger buffers for the tar reader. */
const INFLATE_CHUNK = 256 << 10;
/** From this compressed size on, gzip goes through igzip (when installed): a process of its own that
 * inflates ~1.6× as fast as zlib. Below it, starting a process costs more than it saves. */
const IGZIP_MIN = 1 << 20;

/** `compressedSize` (the blob's, when known) picks the gzip inflater. */
export function decompressLayer(input: Readable, compressedSize = 0): Readable {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  let decided = false;
  let head = Buffer.alloc(0);
  const sniff = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (decided) return cb(null, chunk);
      head = Buffer.concat([head, chunk]);
      if (head.length < 4) return cb();
      decide();
      cb(null, head);
    },
    flush(cb) {
      if (!decided) {
        decide();
        if (head.length) this.push(head);
      }
      cb();
    },
  });
  const decide = () => {
    decided = true;
    let stage: Readable;
    const gzip = GZIP.every((b, i) => head[i] === b);
    if (gzip && compressedSize >= IGZIP_MIN && hasDecompressTool('igzip')) {
      stage = decompressWith('igzip', sniff);
      stage.on('error', (err) => out.destroy(new Error(`gzip: ${err.message}`)));
    } else if (gzip) {
      const gunzip = createGunzip({ chunkSize: INFLATE_CHUNK });
      sniff.pipe(gunzip);
      gunzip.on('error', (err) => out.destroy(new Error(`gzip: ${err.message}`)));
      stage = gunzip;
    } else if (ZSTD.every((b, i) => head[i] === b)) {
      stage = decompressWith('zstd', sniff);
      stage.on('error', (err) => out.destroy(err));
    } else {
      stage = sniff;
    }
    stage.pipe(out);
  };
  input.on('error', (err) => out.destroy(err));
  sniff.on('error', (err) => out.destroy(err));
  out.on('close', () => {
    if (!input.readableEnded) input.destroy();
  });
  input.pipe(sniff);
  // An empty input still ends the output.
  sniff.on('end', () => {
    if (!decided) out.end();
  });
  return out;
}
