import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { PooledSha256 } from './pooled-sha256.js';

test('hashes queued chunks in order, as one stream, without waiting between updates', async () => {
  const chunks = [0, 1, 63, 64, 65, 1000, 1 << 16, 3 << 20].map((n) => randomBytes(n));
  const pooled = new PooledSha256();
  for (const c of chunks) pooled.update(c);
  assert.ok(pooled.backlog > 0, 'the updates run later, on the pool');
  await pooled.hashed();
  assert.equal(pooled.backlog, 0);
  pooled.update(Buffer.from('tail'));
  chunks.push(Buffer.from('tail'));
  assert.equal(await pooled.digest(), createHash('sha256').update(Buffer.concat(chunks)).digest('hex'));
  assert.equal(pooled.backlog, 0);
});

test('an empty stream has the empty digest', async () => {
  assert.equal(await new PooledSha256().digest(), createHash('sha256').digest('hex'));
});
