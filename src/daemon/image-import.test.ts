import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { JsonMessage } from '../api/types.js';
import { kindOf } from '../errdefs/errors.js';
import { sha256 } from '../oci/digest.js';
import { goArch } from '../oci/image.js';
import { importBuffer, makeTar, testDaemon, type TestDaemon } from './image-test-daemon.js';
import { resolveImage } from './image-resolve.js';
import { imageInspect } from './image-inspect.js';
import { imageDelete } from './image-delete.js';

const daemons: TestDaemon[] = [];
after(async () => {
  for (const t of daemons) await t.cleanup();
});
async function fresh(): Promise<TestDaemon> {
  const t = await testDaemon();
  daemons.push(t);
  return t;
}

const rootfs = () =>
  makeTar([
    { name: 'bin/', type: 'directory' },
    { name: 'bin/busybox', data: 'x'.repeat(4000), mode: 0o755 },
    { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
    { name: 'etc/passwd', data: 'root:x:0:0:root:/root:/bin/sh\n' },
  ]);

/** Nothing but empty store scaffolding may remain. */
async function assertClean(t: TestDaemon): Promise<void> {
  await t.d.snapshots.settled();
  const files = (await t.files()).filter((f) => f !== 'snapshots/metadata.json' && f !== 'image/repositories.json');
  assert.deepEqual(files, []);
  assert.deepEqual(await t.d.content.list(), []);
  assert.deepEqual(await t.d.snapshots.list(), []);
  assert.deepEqual(t.d.images.list(), []);
  assert.deepEqual([...t.d.images.references()], []);
  const snapDirs = (await fs.readdir(path.join(t.root, 'snapshots'))).filter((n) => /^\d+$/.test(n));
  assert.deepEqual(snapDirs, []);
}

test('imports a plain tar with changes, a tag and the progress message', async () => {
  const t = await fresh();
  const archive = await rootfs();
  const messages: JsonMessage[] = [];
  const id = await importBuffer(t.d, archive, { repo: 'busybox', changes: ['CMD ["sh"]', 'ENV PATH=/bin'] }, messages);
  assert.deepEqual(messages, [{ status: id }]);

  const img = resolveImage(t.d, 'busybox');
  assert.equal(img.id, id);
  assert.equal(id, sha256(await t.d.content.read(id)), 'the image ID is the config digest');
  const cfg = JSON.parse((await t.d.content.read(id)).toString());
  assert.equal(cfg.architecture, goArch());
  assert.equal(cfg.os, 'linux');
  assert.deepEqual(cfg.rootfs, { type: 'layers', diff_ids: [sha256(archive)] });
  assert.deepEqual(cfg.config.Cmd, ['sh']);
  assert.deepEqual(cfg.config.Env, ['PATH=/bin']);
  assert.equal(cfg.comment, 'Imported from -');
  assert.deepEqual(cfg.history, [{ created: cfg.created, comment: 'Imported from -' }]);

  assert.equal(img.layers.length, 1);
  assert.equal(img.layers[0].mediaType, 'application/vnd.oci.image.layer.v1.tar');
  assert.deepEqual(await t.d.content.read(img.layers[0].blob), archive, 'stored as given');
  assert.equal(img.layers[0].blobSize, archive.length);
  assert.equal(img.size, 4000 + 'busybox'.length + 'root:x:0:0:root:/root:/bin/sh\n'.length);
  assert.equal((await t.d.snapshots.stat(sha256(archive)))?.kind, 'committed');
  assert.ok(img.lastTagTime);
  assert.deepEqual(
    t.events.map((e) => [e.Action, e.Actor.Attributes.name]),
    [['tag', 'busybox:latest'], ['import', id]],
  );

  const inspect = await imageInspect(t.d, id.slice(7, 19));
  assert.deepEqual(inspect.RepoTags, ['busybox:latest']);
  assert.equal(inspect.Comment, 'Imported from -');
  assert.equal(inspect.Size, img.size);
  assert.deepEqual(inspect.Config.Cmd, ['sh']);
  assert.equal(inspect.Metadata.LastTagTime, img.lastTagTime);
  assert.ok(inspect.GraphDriver.Data?.UpperDir);
  await fs.access(path.join(inspect.GraphDriver.Data!.UpperDir, 'etc/passwd'));
});

test('a gzip archive is stored compressed; the same tar shares one snapshot', async () => {
  const t = await fresh();
  const archive = await rootfs();
  const gz = gzipSync(archive);
  const a = await importBuffer(t.d, archive, { repo: 'plain', tag: 'v1' });
  const b = await importBuffer(t.d, gz, { repo: 'zipped', message: 'from a gzip', changes: ['CMD echo hi'] });
  assert.notEqual(a, b);
  const img = resolveImage(t.d, 'zipped:latest');
  assert.equal(img.layers[0].mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip');
  assert.deepEqual(await t.d.content.read(img.layers[0].blob), gz);
  assert.equal(img.config.rootfs.diff_ids[0], sha256(archive));
  assert.deepEqual(img.config.config?.Cmd, ['/bin/sh', '-c', 'echo hi']);
  assert.equal(img.config.history?.[0].comment, 'from a gzip');
  assert.equal((await t.d.snapshots.list()).length, 1, 'one snapshot for both images');

  // Deleting one image keeps the shared layer; deleting the other releases it.
  assert.deepEqual(await imageDelete(t.d, 'plain:v1'), [{ Untagged: 'plain:v1' }, { Deleted: a }]);
  assert.equal((await t.d.snapshots.list()).length, 1);
  assert.deepEqual(await imageDelete(t.d, 'zipped'), [{ Untagged: 'zipped:latest' }, { Deleted: b }, { Deleted: sha256(archive) }]);
  await assertClean(t);
});

test('corrupt, truncated or foreign archives leave the data root clean', async () => {
  const t = await fresh();
  const archive = await makeTar([{ name: 'big', data: 'y'.repeat(20000) }, { name: 'small', data: 's' }]);
  const gz = gzipSync(archive);
  const cases: Array<[string, Buffer, RegExp]> = [
    ['truncated tar', archive.subarray(0, 5000), /invalid archive: Unexpected end of data/],
    ['truncated gzip', gz.subarray(0, gz.length - 30), /invalid archive: unexpected end of file/],
    ['corrupt gzip', Buffer.concat([gz.subarray(0, 20), Buffer.alloc(200, 7), gz.subarray(220)]), /invalid archive/],
    ['not an archive', Buffer.from('hello world, this is not a tar file'.repeat(30)), /not a tar archive or a gzip-compressed tar archive/],
    ['bzip2', Buffer.concat([Buffer.from('BZh91AY&SY'), Buffer.alloc(600)]), /unsupported archive compression: bzip2/],
    ['empty', Buffer.alloc(0), /invalid archive: empty input/],
    ['escaping entry', await makeTar([{ name: '../../evil', data: 'x' }]), /path escapes the layer root/],
  ];
  for (const [what, bytes, message] of cases) {
    await assert.rejects(importBuffer(t.d, bytes, { repo: 'broken' }), (err: Error) => {
      assert.equal(kindOf(err), 'InvalidArgument', `${what}: ${err.message}`);
      assert.match(err.message, message, what);
      return true;
    });
    await assertClean(t);
  }
  await assert.rejects(importBuffer(t.d, archive, { changes: ['FROM scratch'] }), /from is not a valid change command/);
  await assert.rejects(importBuffer(t.d, archive, { repo: 'Bad_Repo' }), (e) => kindOf(e) === 'InvalidArgument');
  await assertClean(t);
});
