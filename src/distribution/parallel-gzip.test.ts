import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { parallelGzip } from './parallel-gzip.js';

async function collect(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

test('blocks compressed in parallel make one gzip stream of the input, in order', async () => {
  // Compressible and incompressible parts, across several blocks and an odd tail.
  const input = Buffer.concat([Buffer.alloc(300_000, 'a'), randomBytes(250_000), Buffer.from('tail')]);
  const pieces = [input.subarray(0, 1000), input.subarray(1000, 400_000), input.subarray(400_000)];
  const gz = await collect(parallelGzip(Readable.from(pieces), { level: 1, blockSize: 64 << 10, parallel: 3 }));
  assert.equal(gz[0], 0x1f);
  assert.ok(gunzipSync(gz).equals(input));
});

test('an empty input still gives a valid (empty) gzip stream', async () => {
  const gz = await collect(parallelGzip(Readable.from([]), { level: 2 }));
  assert.equal(gunzipSync(gz).length, 0);
});
