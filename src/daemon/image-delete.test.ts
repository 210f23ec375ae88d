import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { kindOf } from '../errdefs/errors.js';
import { sha256, type Digest } from '../oci/digest.js';
import { fakeContainer, importBuffer, makeTar, testDaemon, type TestDaemon } from './image-test-daemon.js';
import { imageDelete } from './image-delete.js';
import { imageTag } from './image-tag.js';
import { imageList } from './image-list.js';

const daemons: TestDaemon[] = [];
after(async () => {
  for (const t of daemons) await t.cleanup();
});

async function setup(): Promise<{ t: TestDaemon; id: Digest; short: string; layer: string }> {
  const t = await testDaemon();
  daemons.push(t);
  const archive = await makeTar([{ name: 'hello', data: 'world' }]);
  const id = await importBuffer(t.d, archive, { repo: 'busybox' });
  return { t, id, short: id.slice(7, 19), layer: sha256(archive) };
}

const cid = 'c0ffee'.repeat(10) + 'abcd';

async function conflictOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.equal(kindOf(err), 'Conflict', String(err));
    return (err as Error).message;
  }
  assert.fail('expected a conflict');
}

test('by name with other tags only untags that name', async () => {
  const { t, id } = await setup();
  await imageTag(t.d, 'busybox', 'busybox', 'v1');
  await imageTag(t.d, 'busybox', 'example.com/other', '1');
  assert.deepEqual(await imageDelete(t.d, 'busybox:v1'), [{ Untagged: 'busybox:v1' }]);
  assert.deepEqual(t.d.images.referencesOf(id), ['docker.io/library/busybox:latest', 'example.com/other:1']);
});

test('by ID with tags in several repositories needs force, then removes all', async () => {
  const { t, id, short, layer } = await setup();
  await imageTag(t.d, id, 'example.com/other', '1');
  assert.equal(
    await conflictOf(imageDelete(t.d, short)),
    `conflict: unable to delete ${short} (must be forced) - image is referenced in multiple repositories`,
  );
  assert.deepEqual(await imageDelete(t.d, short, { force: true }), [
    { Untagged: 'busybox:latest' },
    { Untagged: 'example.com/other:1' },
    { Deleted: id },
    { Deleted: layer },
  ]);
  assert.deepEqual(t.d.images.list(), []);
  assert.deepEqual(await t.d.snapshots.list(), []);
  assert.deepEqual(await t.d.content.list(), []);
  assert.deepEqual(
    t.events.filter((e) => e.Action !== 'tag' && e.Action !== 'import').map((e) => e.Action),
    ['untag', 'untag', 'delete'],
  );
});

test('by ID with one tag untags and deletes', async () => {
  const { t, id, layer } = await setup();
  assert.deepEqual(await imageDelete(t.d, id), [{ Untagged: 'busybox:latest' }, { Deleted: id }, { Deleted: layer }]);
});

test('an image a stopped container uses: name and ID need force', async () => {
  const { t, id, short, layer } = await setup();
  t.containers.push(fakeContainer(cid, id, false));
  assert.equal(
    await conflictOf(imageDelete(t.d, 'busybox')),
    `conflict: unable to remove repository reference "busybox" (must force) - container ${cid.slice(0, 12)} is using its referenced image ${short}`,
  );
  assert.equal(
    await conflictOf(imageDelete(t.d, short)),
    `conflict: unable to delete ${short} (must be forced) - image is being used by stopped container ${cid.slice(0, 12)}`,
  );
  assert.deepEqual(t.d.images.referencesOf(id), ['docker.io/library/busybox:latest']);

  // The container's own snapshot sits on the layer: force removes the image, the layer stays.
  await t.d.snapshots.prepare(cid, layer);
  assert.deepEqual(await imageDelete(t.d, 'busybox', { force: true }), [{ Untagged: 'busybox:latest' }, { Deleted: id }]);
  assert.equal((await t.d.snapshots.stat(layer))?.kind, 'committed');
});

test('an image a running container uses cannot be forced', async () => {
  const { t, id, short } = await setup();
  t.containers.push(fakeContainer(cid, id, true));
  assert.equal(
    await conflictOf(imageDelete(t.d, id, { force: true })),
    `conflict: unable to delete ${short} (cannot be forced) - image is being used by running container ${cid.slice(0, 12)}`,
  );
  // Untagging by name with force is allowed; the image stays, untagged.
  assert.deepEqual(await imageDelete(t.d, 'busybox', { force: true }), [{ Untagged: 'busybox:latest' }]);
  assert.ok(t.d.images.get(id));
  const dangling = await imageList(t.d, { filters: { dangling: ['true'] } });
  assert.deepEqual(dangling.map((s) => [s.Id, s.RepoTags]), [[id, []]]);
});

test('unknown names are NotFound with Docker\'s text', async () => {
  const { t } = await setup();
  await assert.rejects(imageDelete(t.d, 'nope'), (e: Error) => kindOf(e) === 'NotFound' && e.message === 'No such image: nope:latest');
});
