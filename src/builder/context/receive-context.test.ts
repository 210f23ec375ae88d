import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { ContextError, receiveContext } from './receive-context.js';
import { resolveScoped } from './source-fs.js';

type Entry = { name: string; data?: string; type?: 'file' | 'directory' | 'symlink' | 'link'; linkname?: string; mode?: number };

async function tarOf(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    const h = { name: e.name, mode: e.mode ?? (e.type === 'directory' ? 0o755 : 0o644), uid: 0, gid: 0, mtime: new Date(1_700_000_000_000) };
    if (e.type === 'directory') pack.entry({ ...h, type: 'directory' });
    else if (e.type === 'symlink' || e.type === 'link') pack.entry({ ...h, type: e.type, linkname: e.linkname });
    else pack.entry(h, e.data ?? '');
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as unknown as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

function withDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-ctx-test-'));
  return fn(path.join(dir, 'ctx')).finally(() => rmSync(dir, { recursive: true, force: true }));
}

test('entries are indexed with Docker\'s tarsum (the hash the docker CLI\'s context gives hello.txt)', async () => {
  await withDir(async (dir) => {
    const ctx = await receiveContext(Readable.from([await tarOf([{ name: 'hello.txt', data: 'hello\n' }, { name: 'sub/', type: 'directory' }, { name: 'sub/x', data: 'x' }])]), dir, `${dir}-store`);
    // dockerd 20.10 names this file "file:c50ecf0f…" in the history of `COPY hello.txt`.
    assert.equal(await ctx.hash('hello.txt'), 'c50ecf0f8081044924e199cfe6cfd18d0c9dd4d16be07790bb24f7088112b98e');
    assert.deepEqual(ctx.readdir(''), ['hello.txt', 'sub']);
    assert.equal(await ctx.readText('hello.txt'), 'hello\n');
    assert.equal(await ctx.readText('sub/x'), 'x');
    assert.equal(ctx.lstat('sub')?.type, 'dir');
    assert.equal(ctx.dataSize, 7);
  });
});

test('gzip contexts, implied parent directories, hard links and symlinks resolved inside the context', async () => {
  await withDir(async (dir) => {
    const raw = await tarOf([
      { name: 'a/b/c.txt', data: 'deep' },
      { name: 'hard', type: 'link', linkname: 'a/b/c.txt' },
      { name: 'abs', type: 'symlink', linkname: '/a/b/c.txt' },
      { name: 'up', type: 'symlink', linkname: '../../../a' },
    ]);
    const ctx = await receiveContext(Readable.from([gzipSync(raw)]), dir, `${dir}-store`);
    assert.equal(ctx.lstat('a')?.type, 'dir');
    assert.equal(await ctx.hash('a'), 'a', 'a directory the tar left out hashes as its path');
    assert.equal(await ctx.readText('hard'), 'deep');
    assert.equal(resolveScoped(ctx, 'abs'), 'a/b/c.txt');
    assert.equal(resolveScoped(ctx, 'up/b/c.txt'), 'a/b/c.txt');
    assert.equal(await ctx.readText('abs'), 'deep');
  });
});

test('names that climb out of the context, and archives that are not tars, are refused', async () => {
  await withDir(async (dir) => {
    await assert.rejects(receiveContext(Readable.from([await tarOf([{ name: '../x', data: 'x' }])]), dir, `${dir}-store`), (err: Error) => err instanceof ContextError && /outside of the context/.test(err.message));
  });
  await withDir(async (dir) => {
    await assert.rejects(receiveContext(Readable.from([Buffer.from('BZh91AY&SY')]), dir, `${dir}-store`), ContextError);
  });
  await withDir(async (dir) => {
    await assert.rejects(receiveContext(Readable.from([Buffer.alloc(700, 'x')]), dir, `${dir}-store`), ContextError);
  });
});

test('a later entry replaces an earlier one of the same name', async () => {
  await withDir(async (dir) => {
    const ctx = await receiveContext(Readable.from([await tarOf([{ name: 'd/', type: 'directory' }, { name: 'd/x', data: '1' }, { name: 'd', data: 'file now' }])]), dir, `${dir}-store`);
    assert.equal(ctx.lstat('d')?.type, 'file');
    assert.equal(ctx.lstat('d/x'), undefined);
    assert.equal(await ctx.readText('d'), 'file now');
  });
});

test('file bytes go to a store of blobs named by their tarsum: an unchanged file is not written again; large files spill to disk', async () => {
  await withDir(async (dir) => {
    const big = 'x'.repeat(9 << 20);
    const tarball = await tarOf([{ name: 'small', data: 'small\n' }, { name: 'big', data: big }, { name: 'empty', data: '' }]);
    const store = `${dir}-store`;
    const first = await receiveContext(Readable.from([tarball]), `${dir}-1`, store);
    assert.equal(first.storedSize, 6 + big.length);
    assert.equal((await first.readText('big'))?.length, big.length);
    assert.equal(first.lstat('empty')?.size, 0);
    const second = await receiveContext(Readable.from([tarball]), `${dir}-2`, store);
    assert.equal(second.storedSize, 0, 'nothing new to store');
    assert.equal(await second.readText('small'), 'small\n');
    const { readdirSync } = await import('node:fs');
    assert.equal(readdirSync(store).length, 2, 'two blobs, no temp files left');
  });
});
