// ADD's archive decompression, as moby's pkg/archive DetectCompression and DecompressStream: the format
// is told by magic bytes; gzip is inflated in-process, bzip2, xz and zstd by their command-line tools.
import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { decompressWith } from '../../host/decompress-command.js';

export type Compression = 'none' | 'gzip' | 'bzip2' | 'xz' | 'zstd';

const GZIP = Buffer.from([0x1f, 0x8b, 0x08]);
const BZIP2 = Buffer.from('BZh', 'latin1');
const XZ = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
const ZSTD = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/** The compression `head` (a file's first bytes) starts with; 'none' when no magic matches. */
export function detectCompression(head: Buffer): Compression {
  if (startsWith(head, GZIP)) return 'gzip';
  if (startsWith(head, BZIP2)) return 'bzip2';
  if (startsWith(head, XZ)) return 'xz';
  if (startsWith(head, ZSTD) || isZstdSkippableFrame(head)) return 'zstd';
  return 'none';
}

const startsWith = (head: Buffer, magic: Buffer): boolean => head.length >= magic.length && head.subarray(0, magic.length).equals(magic);

/** zstd's skippable frames (magic 0x184D2A50–0x184D2A5F, little-endian) may open a stream too. */
const isZstdSkippableFrame = (head: Buffer): boolean => head.length >= 4 && (head.readUInt32LE(0) & 0xfffffff0) === 0x184d2a50;

/**
 * The decompressed bytes of `input` (itself for 'none'). Errors of the decompressor name `name`, the
 * file it reads, so a corrupt archive's build step says which one it was.
 */
export function decompress(input: Readable, compression: Compression, name: string): Readable {
  if (compression === 'none') return input;
  let stream: Readable;
  if (compression === 'gzip') {
    const gunzip = createGunzip();
    input.on('error', (err) => gunzip.destroy(err));
    gunzip.on('close', () => input.destroy());
    stream = input.pipe(gunzip);
  } else {
    stream = decompressWith(compression, input);
  }
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  stream.on('error', (err) => out.destroy(new Error(`failed to decompress ${name}: ${err.message}`)));
  out.on('close', () => stream.destroy());
  stream.pipe(out);
  return out;
}
