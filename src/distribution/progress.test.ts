import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonMessage } from '../api/types.js';
import { ByteProgress, progressBar } from './progress.js';

test('progress bars as dockerd renders them (reference dockerd 20.10 output)', () => {
  assert.equal(progressBar(36445, 3001226), `[>${' '.repeat(50)}]  36.45kB/3.001MB`);
  assert.equal(progressBar(3001226, 3001226), `[${'='.repeat(50)}>]  3.001MB/3.001MB`);
  assert.equal(progressBar(106, 106), `[${'='.repeat(50)}>]     106B/106B`);
  assert.equal(progressBar(35328, 1986529), `[>${' '.repeat(50)}]  35.33kB/1.987MB`);
  // More read than the total (a tar is bigger than its files): the total is dropped.
  assert.equal(progressBar(2140160, 1986529), `[${'='.repeat(50)}>]   2.14MB`);
  assert.equal(progressBar(0, 0), '');
});

test('byte progress is throttled to one message per 512 KiB, and always reports the end', () => {
  const out: JsonMessage[] = [];
  const p = new ByteProgress((m) => out.push(m), 'abc', 'Downloading');
  for (let n = 0; n <= 2 << 20; n += 64 << 10) p.update(n, 2 << 20);
  p.update(2 << 20, 2 << 20, true);
  assert.deepEqual(out.map((m) => m.progressDetail?.current), [0, 524288, 1048576, 1572864, 2097152]);
  assert.equal(out[0].id, 'abc');
  assert.equal(out[0].status, 'Downloading');
});
