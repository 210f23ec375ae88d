import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { kindOf } from '../errdefs/errors.js';
import { sha256, type Digest } from '../oci/digest.js';
import type { ImageRecord } from '../core/images.js';
import { fakeContainer, importBuffer, makeTar, testDaemon, type TestDaemon } from './image-test-daemon.js';
import { imageList } from './image-list.js';
import { imagePrune } from './image-prune.js';
import { globToRegExp } from './image-filters.js';

const daemons: TestDaemon[] = [];
after(async () => {
  for (const t of daemons) await t.cleanup();
});
async function fresh(): Promise<TestDaemon> {
  const t = await testDaemon();
  daemons.push(t);
  return t;
}

/** A record with a chosen creation time (no layers: list and prune only read metadata). */
async function put(t: TestDaemon, seed: string, created: string, refs: string[] = [], labels: Record<string, string> | null = null, parent?: Digest): Promise<Digest> {
  const rec: ImageRecord = {
    id: sha256(seed),
    config: { created, architecture: 'amd64', os: 'linux', config: { Labels: labels }, rootfs: { type: 'layers', diff_ids: [] } },
    layers: [],
    size: seed.length,
    parent,
  };
  await t.d.images.put(rec);
  for (const r of refs) await t.d.images.setReference(r, rec.id);
  return rec.id;
}

test('lists newest first with familiar tags and Docker\'s filters', async () => {
  const t = await fresh();
  const old = await put(t, 'old', '2020-01-01T00:00:00Z', ['docker.io/library/busybox:1.0'], { tier: 'base' });
  const mid = await put(t, 'mid', '2021-01-01T00:00:00Z', ['docker.io/library/busybox:latest', 'example.com/team/busybox:x'], { tier: 'app', team: 'a' });
  const none = await put(t, 'dangling', '2022-01-01T00:00:00Z');
  const parent = await put(t, 'parent', '2019-01-01T00:00:00Z');
  const child = await put(t, 'child', '2023-01-01T00:00:00Z', ['docker.io/library/app:1'], null, parent);

  const ids = async (opts: Parameters<typeof imageList>[1]) => (await imageList(t.d, opts)).map((s) => s.Id);
  assert.deepEqual(await ids({}), [child, none, mid, old], 'intermediate parent hidden');
  assert.deepEqual(await ids({ all: true }), [child, none, mid, old, parent]);
  const [summary] = await imageList(t.d, { filters: { reference: ['busybox:latest'] } });
  assert.deepEqual(summary, {
    Id: mid,
    ParentId: '',
    RepoTags: ['busybox:latest'],
    RepoDigests: [],
    Created: Date.parse('2021-01-01T00:00:00Z') / 1000,
    Size: 3,
    SharedSize: -1,
    Labels: { tier: 'app', team: 'a' },
    Containers: -1,
  });
  assert.deepEqual((await imageList(t.d, {})).find((s) => s.Id === none)?.RepoTags, []);
  assert.deepEqual((await imageList(t.d, {})).find((s) => s.Id === child)?.ParentId, parent);

  assert.deepEqual(await ids({ filters: { reference: ['busy*'] } }), [mid, old]);
  assert.deepEqual(await ids({ filters: { reference: ['busybox:*'] } }), [mid, old]);
  assert.deepEqual(await ids({ filters: { reference: ['*/team/*'] } }), [mid]);
  assert.deepEqual(await ids({ filters: { reference: ['b?sybox:1.[0-9]'] } }), [old]);
  assert.deepEqual(await ids({ filters: { dangling: ['true'] } }), [none]);
  assert.deepEqual(await ids({ filters: { dangling: ['false'] } }), [child, mid, old]);
  assert.deepEqual(await ids({ filters: { label: ['tier'] } }), [mid, old]);
  assert.deepEqual(await ids({ filters: { label: ['tier=app', 'team'] } }), [mid]);
  assert.deepEqual(await ids({ filters: { before: ['busybox:latest'] } }), [old]);
  assert.deepEqual(await ids({ filters: { since: ['busybox:1.0'] } }), [child, none, mid]);
  assert.deepEqual(await ids({ filters: JSON.stringify({ since: ['busybox:latest'] }) }), [child, none]);
  assert.deepEqual(await ids({ filters: { until: ['2021-06-01T00:00:00Z'] } }), [mid, old]);

  const bad = (filters: object, re: RegExp) =>
    assert.rejects(imageList(t.d, { filters: filters as never }), (e: Error) => kindOf(e) === 'InvalidArgument' && re.test(e.message));
  await bad({ dangling: ['maybe'] }, /^invalid filter 'dangling=maybe'$/);
  await bad({ color: ['red'] }, /^invalid filter 'color'$/);
  await bad({ reference: ['[z-a]'] }, /syntax error in pattern/);
  await assert.rejects(imageList(t.d, { filters: { before: ['ghost'] } }), /No such image: ghost:latest/);
});

test('path.Match globs', () => {
  assert.ok(globToRegExp('a*').test('abc'));
  assert.ok(!globToRegExp('a*').test('a/b'));
  assert.ok(globToRegExp('[^a]x').test('bx'));
  assert.ok(globToRegExp('\\*').test('*'));
  assert.throws(() => globToRegExp('[]'), /syntax error in pattern/);
  assert.throws(() => globToRegExp('a\\'), /syntax error in pattern/);
});

test('prune removes dangling images only, never one a container uses', async () => {
  const t = await fresh();
  const tagged = await importBuffer(t.d, await makeTar([{ name: 'a', data: 'a'.repeat(10) }]), { repo: 'keep' });
  const loose = await importBuffer(t.d, await makeTar([{ name: 'b', data: 'b'.repeat(20) }]));
  const used = await importBuffer(t.d, await makeTar([{ name: 'c', data: 'c'.repeat(30) }]));
  const unusedTagged = await importBuffer(t.d, await makeTar([{ name: 'd', data: 'd'.repeat(40) }]), { repo: 'spare' });
  t.containers.push(fakeContainer('f'.repeat(64), used, false));
  const looseLayer = t.d.images.get(loose)!.config.rootfs.diff_ids[0];

  const report = await imagePrune(t.d, null);
  assert.deepEqual(report, { ImagesDeleted: [{ Deleted: loose }, { Deleted: looseLayer }], SpaceReclaimed: 20 });
  assert.deepEqual(t.d.images.list().map((i) => i.id).sort(), [tagged, used, unusedTagged].sort());
  assert.deepEqual(await imagePrune(t.d, {}), { ImagesDeleted: null, SpaceReclaimed: 0 });

  // dangling=false: every image no container uses, tagged or not; label filters apply.
  assert.deepEqual(await imagePrune(t.d, { dangling: ['false'], label: ['nope'] }), { ImagesDeleted: null, SpaceReclaimed: 0 });
  const all = await imagePrune(t.d, JSON.stringify({ dangling: ['false'] }));
  const spareLayer = sha256(await makeTar([{ name: 'd', data: 'd'.repeat(40) }]));
  assert.equal(all.SpaceReclaimed, 10 + 40);
  assert.deepEqual(
    all.ImagesDeleted?.filter((i) => 'Untagged' in i),
    [{ Untagged: 'keep:latest' }, { Untagged: 'spare:latest' }],
  );
  assert.ok(all.ImagesDeleted?.some((i) => 'Deleted' in i && i.Deleted === spareLayer));
  assert.deepEqual(t.d.images.list().map((i) => i.id), [used]);

  await assert.rejects(imagePrune(t.d, { until: ['1h', '2h'] }), /more than one until filter specified/);
  await assert.rejects(imagePrune(t.d, { reference: ['x'] }), /invalid filter 'reference'/);
  // until excludes images created after it.
  const recentTar = await makeTar([{ name: 'e', data: 'e' }]);
  const recent = await importBuffer(t.d, recentTar);
  assert.deepEqual(await imagePrune(t.d, { until: ['1h'] }), { ImagesDeleted: null, SpaceReclaimed: 0 });
  assert.ok(t.d.images.get(recent));
  assert.deepEqual(await imagePrune(t.d, { 'label!': ['x'] }), {
    ImagesDeleted: [{ Deleted: recent }, { Deleted: sha256(recentTar) }],
    SpaceReclaimed: 1,
  });
  assert.equal(t.d.images.get(recent), undefined);
});
