import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalContentStore } from './local-content-store.js';
import { sha256 } from '../../oci/digest.js';
import { kindOf } from '../../errdefs/errors.js';

const roots: string[] = [];
async function tempRoot(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-content-'));
  roots.push(dir);
  return dir;
}
after(async () => {
  for (const r of roots) await fs.rm(r, { recursive: true, force: true });
});

async function readAll(s: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

test('streaming writer hashes, verifies and makes the blob visible on commit only', async () => {
  const root = await tempRoot();
  const store = new LocalContentStore(path.join(root, 'content'));
  const data = Buffer.from('hello, content');
  const digest = sha256(data);
  const w = await store.writer();
  await w.write(data.subarray(0, 5));
  await w.write(data.subarray(5));
  assert.equal(await store.has(digest), false);
  const info = await w.commit(digest);
  assert.deepEqual(info, { digest, size: data.length });
  assert.equal(await store.has(digest), true);
  assert.deepEqual(await store.read(digest), data);
  assert.deepEqual(await readAll(store.createReadStream(digest)), data);
  assert.deepEqual(await fs.readFile(path.join(root, 'content/blobs/sha256', digest.slice(7))), data);
  assert.deepEqual(await fs.readdir(path.join(root, 'content/ingest')), []);
  assert.deepEqual(await store.list(), [{ digest, size: data.length }]);
});

test('digest mismatch on commit is InvalidArgument and leaves nothing', async () => {
  const root = await tempRoot();
  const store = new LocalContentStore(path.join(root, 'content'));
  const w = await store.writer();
  await w.write(Buffer.from('abc'));
  const wrong = sha256('xyz');
  await assert.rejects(w.commit(wrong), (err: Error) => {
    assert.equal(kindOf(err), 'InvalidArgument');
    assert.equal(err.message, `digest mismatch: expected ${wrong}, got ${sha256('abc')}`);
    return true;
  });
  await w.abort(); // safe after a failed commit
  assert.deepEqual(await fs.readdir(path.join(root, 'content/ingest')), []);
  assert.deepEqual(await fs.readdir(path.join(root, 'content/blobs/sha256')), []);
  await assert.rejects(store.put(Buffer.from('abc'), wrong), /digest mismatch/);
});

test('abort drops partial data', async () => {
  const root = await tempRoot();
  const store = new LocalContentStore(path.join(root, 'content'));
  const w = await store.writer();
  await w.write(Buffer.alloc(1000, 1));
  await w.abort();
  assert.deepEqual(await fs.readdir(path.join(root, 'content/ingest')), []);
  assert.deepEqual(await store.list(), []);
});

test('put is idempotent; missing blobs are NotFound; delete removes', async () => {
  const store = new LocalContentStore(path.join(await tempRoot(), 'content'));
  const data = Buffer.from('{}');
  const a = await store.put(data);
  const b = await store.put(data, a.digest);
  assert.deepEqual(a, b);
  assert.deepEqual(await store.info(a.digest), { digest: a.digest, size: 2 });
  await store.delete(a.digest);
  assert.equal(await store.has(a.digest), false);
  await assert.rejects(store.info(a.digest), (e) => kindOf(e) === 'NotFound');
  await assert.rejects(store.read(a.digest), /content digest sha256:[a-f0-9]+: not found/);
  await assert.rejects(readAll(store.createReadStream(a.digest)), (e) => kindOf(e) === 'NotFound');
  await assert.rejects(store.has('sha256:../../etc' as never), (e) => kindOf(e) === 'InvalidArgument');
});

test('stale ingest files from a crash are removed on startup', async () => {
  const root = await tempRoot();
  await fs.mkdir(path.join(root, 'content/ingest'), { recursive: true });
  await fs.writeFile(path.join(root, 'content/ingest/deadbeef'), 'partial');
  const store = new LocalContentStore(path.join(root, 'content'));
  assert.deepEqual(await store.list(), []);
  assert.deepEqual(await fs.readdir(path.join(root, 'content/ingest')), []);
});
