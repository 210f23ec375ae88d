import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileImageStore } from './image-store.js';
import type { ImageRecord } from '../../core/images.js';
import { sha256 } from '../../oci/digest.js';
import { kindOf } from '../../errdefs/errors.js';

const roots: string[] = [];
after(async () => {
  for (const r of roots) await fs.rm(r, { recursive: true, force: true });
});
async function tempRoot(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-images-'));
  roots.push(dir);
  return dir;
}

function record(seed: string): ImageRecord {
  return {
    id: sha256(seed),
    config: { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } },
    layers: [],
    size: 0,
  };
}

test('records and references persist and reload', async () => {
  const root = await tempRoot();
  const store = new FileImageStore(root);
  await store.load();
  const a = record('a');
  const b = record('b');
  await store.put(a);
  await store.put(b);
  await Promise.all([
    store.setReference('docker.io/library/busybox:latest', a.id),
    store.setReference('docker.io/library/busybox:v1', a.id),
    store.setReference('example.com/app:1', b.id),
  ]);
  assert.deepEqual(store.referencesOf(a.id), ['docker.io/library/busybox:latest', 'docker.io/library/busybox:v1']);
  assert.ok(await fs.stat(path.join(root, 'image/records', `${a.id.slice(7)}.json`)));

  const again = new FileImageStore(root);
  await again.load();
  assert.deepEqual(again.get(a.id), a);
  assert.equal(again.list().length, 2);
  assert.deepEqual(
    Object.fromEntries(again.references()),
    JSON.parse(await fs.readFile(path.join(root, 'image/repositories.json'), 'utf8')),
  );
  assert.equal(again.references().get('example.com/app:1'), b.id);

  // Moving a tag; deleting a reference; deleting an image drops its references.
  await again.setReference('docker.io/library/busybox:latest', b.id);
  await again.deleteReference('docker.io/library/busybox:v1');
  await assert.rejects(again.deleteReference('docker.io/library/busybox:v1'), (e) => kindOf(e) === 'NotFound');
  await again.delete(b.id);
  assert.deepEqual([...again.references()], []);
  await assert.rejects(again.setReference('x:y', b.id), (e) => kindOf(e) === 'NotFound');

  const third = new FileImageStore(root);
  await third.load();
  assert.deepEqual(third.list().map((r) => r.id), [a.id]);
  assert.deepEqual([...third.references()], []);
});

test('load drops temp files and references to missing images', async () => {
  const root = await tempRoot();
  await fs.mkdir(path.join(root, 'image/records'), { recursive: true });
  await fs.writeFile(path.join(root, 'image/records/.x.json.1234.tmp'), '{');
  await fs.writeFile(path.join(root, 'image/repositories.json'), JSON.stringify({ 'docker.io/library/gone:latest': sha256('gone') }));
  const store = new FileImageStore(root);
  await store.load();
  assert.deepEqual(await fs.readdir(path.join(root, 'image/records')), []);
  assert.deepEqual([...store.references()], []);
  assert.deepEqual(JSON.parse(await fs.readFile(path.join(root, 'image/repositories.json'), 'utf8')), {});
});
