import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { receiveContext } from '../context/receive-context.js';
import { copyInfosFor, sourcesHash } from './copy-sources.js';

async function context(entries: Array<{ name: string; data?: string }>, dir: string) {
  const pack = tar.pack();
  for (const e of entries) {
    const h = { name: e.name, uid: 0, gid: 0, mtime: new Date(0) };
    if (e.name.endsWith('/')) pack.entry({ ...h, type: 'directory', mode: 0o755 });
    else pack.entry({ ...h, mode: 0o644 }, e.data ?? '');
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as unknown as AsyncIterable<Buffer>) chunks.push(c);
  return receiveContext(Readable.from([Buffer.concat(chunks)]), dir, `${dir}-store`);
}

test('source hashes are the ones dockerd 20.10 records for the same context (dir:, multi:)', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'berth-copy-src-'));
  try {
    const ctx = await context(
      [{ name: 'a.txt', data: 'a\n' }, { name: 'b.txt', data: 'b\n' }, { name: 'dir/' }, { name: 'dir/c', data: 'c\n' }, { name: 'dir/sub/' }, { name: 'dir/sub/d', data: 'd\n' }],
      path.join(tmp, 'ctx'),
    );
    const opts = { isContext: true, decompress: false };
    // From dockerd's history for `COPY dir /dir` and `COPY a.txt b.txt /dst/` on this context.
    assert.equal(sourcesHash(await copyInfosFor(ctx, 'dir', opts)), 'dir:935e12cc0b002095f84c8dfb1e39384a5021da4e197b3da36f5ebd1c5d1e2b62');
    const two = [...(await copyInfosFor(ctx, 'a.txt', opts)), ...(await copyInfosFor(ctx, './b.txt', opts))];
    assert.equal(sourcesHash(two), 'multi:59e3963f5e7d6137120d6afcd1a6ca6a02dfe35f6ed41d7b8cbee2bf80896577');
    assert.deepEqual((await copyInfosFor(ctx, '*.txt', opts)).map((i) => i.path), ['a.txt', 'b.txt']);
    assert.deepEqual((await copyInfosFor(ctx, 'dir/*', opts)).map((i) => i.path), ['dir/c', 'dir/sub']);
    await assert.rejects(copyInfosFor(ctx, 'nope', opts), /^Error: file not found in build context or excluded by \.dockerignore: stat nope: file does not exist$/);
    await assert.rejects(copyInfosFor(ctx, '../x', opts), /forbidden path outside the build context: \.\.\/x \(\)/);
    await assert.rejects(copyInfosFor(ctx, 'a/../../x', opts), /forbidden path outside the build context/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
