import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { decompressLayer } from './layer-decompress.js';
import { hasDecompressTool } from '../host/decompress-command.js';

async function readAll(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Compresses to about half: random hex. */
function payload(bytes: number): Buffer {
  return Buffer.from(randomBytes(Math.ceil(bytes / 2)).toString('hex')).subarray(0, bytes);
}

test('igzip is installed (scripts/install.sh), so big gzip layers take it', () => {
  assert.ok(hasDecompressTool('igzip'), 'apt-get install isal');
});

for (const [what, size, corrupt, truncated] of [
  ['a small gzip layer (zlib)', 64 << 10, /^Error: gzip: (?!igzip)/, /^Error: gzip: unexpected end of file/],
  ['a big gzip layer (igzip)', 3 << 20, /^Error: gzip: igzip: invalid compressed data$/, /^Error: gzip: igzip: unexpected EOF$/],
] as const) {
  test(`${what} inflates to its tar bytes, whatever the chunking`, async () => {
    const plain = payload(size);
    const gz = gzipSync(plain);
    const chunks = [gz.subarray(0, 2), gz.subarray(2, 5000), gz.subarray(5000)];
    assert.ok(plain.equals(await readAll(decompressLayer(Readable.from(chunks), gz.length))));
  });

  test(`${what} that is corrupt fails the stream with a gzip error`, async () => {
    const gz = gzipSync(payload(size));
    gz.fill(0x41, 100, 400);
    await assert.rejects(readAll(decompressLayer(Readable.from([gz]), gz.length)), corrupt);
  });

  test(`${what} cut short fails the stream`, async () => {
    const gz = gzipSync(payload(size));
    const cut = gz.subarray(0, gz.length - 1000);
    await assert.rejects(readAll(decompressLayer(Readable.from([cut]), gz.length)), truncated);
  });
}

test('a plain tar passes through untouched', async () => {
  const plain = payload(10_000);
  assert.ok(plain.equals(await readAll(decompressLayer(Readable.from([plain]), plain.length))));
});
