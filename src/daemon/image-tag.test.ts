import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { kindOf } from '../errdefs/errors.js';
import { sha256, type Digest } from '../oci/digest.js';
import type { ImageRecord } from '../core/images.js';
import { importBuffer, makeTar, testDaemon, type TestDaemon } from './image-test-daemon.js';
import { imageTag } from './image-tag.js';
import { findImage, resolveImage } from './image-resolve.js';
import { imageList } from './image-list.js';

const daemons: TestDaemon[] = [];
after(async () => {
  for (const t of daemons) await t.cleanup();
});
async function fresh(): Promise<TestDaemon> {
  const t = await testDaemon();
  daemons.push(t);
  return t;
}

test('resolves names, full IDs, hex IDs and unique prefixes', async () => {
  const t = await fresh();
  const id = await importBuffer(t.d, await makeTar([{ name: 'f', data: '1' }]), { repo: 'busybox' });
  const hex = id.slice(7);
  for (const name of ['busybox', 'busybox:latest', 'docker.io/library/busybox:latest', id, hex, hex.slice(0, 12), `sha256:${hex.slice(0, 8)}`]) {
    assert.equal(resolveImage(t.d, name).id, id, name);
  }
  assert.throws(() => resolveImage(t.d, 'busybox:1.36'), (e: Error) => kindOf(e) === 'NotFound' && e.message === 'No such image: busybox:1.36');
  assert.throws(() => resolveImage(t.d, 'example.com/x'), /^NotFoundError: No such image: example.com\/x:latest$/);
  const missing = sha256('missing');
  assert.throws(() => resolveImage(t.d, missing.slice(7)), new RegExp(`No such image: ${missing}$`));
  assert.equal(findImage(t.d, 'nothing'), undefined);

  // Two IDs sharing a prefix: Docker's ambiguity error.
  const rec = (hex64: string): ImageRecord => ({
    id: `sha256:${hex64}` as Digest,
    config: { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } },
    layers: [],
    size: 0,
  });
  await t.d.images.put(rec('abcd1' + '0'.repeat(59)));
  await t.d.images.put(rec('abcd2' + '0'.repeat(59)));
  assert.throws(() => resolveImage(t.d, 'abcd'), /multiple IDs found with provided prefix: abcd/);
  assert.equal(resolveImage(t.d, 'abcd2').id, `sha256:abcd2${'0'.repeat(59)}`);
});

test('tags with Docker\'s validation; moving a tag leaves the old image dangling', async () => {
  const t = await fresh();
  const a = await importBuffer(t.d, await makeTar([{ name: 'a', data: 'a' }]), { repo: 'app' });
  const b = await importBuffer(t.d, await makeTar([{ name: 'b', data: 'b' }]));
  const before = resolveImage(t.d, b).lastTagTime;
  assert.equal(before, undefined);
  await imageTag(t.d, b.slice(7, 15), 'example.com:5000/team/app', 'v2');
  assert.deepEqual(t.d.images.referencesOf(b), ['example.com:5000/team/app:v2']);
  assert.ok(resolveImage(t.d, b).lastTagTime);
  assert.deepEqual(t.events.at(-1)?.Actor.Attributes, { name: 'example.com:5000/team/app:v2' });
  await imageTag(t.d, 'app', 'app', 'v1');
  await imageTag(t.d, 'app', 'mirror/app:tagged'); // a tag inside repo, default otherwise
  assert.deepEqual(t.d.images.referencesOf(a), [
    'docker.io/library/app:latest',
    'docker.io/library/app:v1',
    'docker.io/mirror/app:tagged',
  ]);

  await imageTag(t.d, b, 'app', 'latest');
  assert.equal(resolveImage(t.d, 'app').id, b);
  await imageTag(t.d, b, 'app', 'v1');
  await imageTag(t.d, b, 'mirror/app', 'tagged');
  const dangling = await imageList(t.d, { filters: { dangling: ['true'] } });
  assert.deepEqual(dangling.map((s) => s.Id), [a]);
  assert.deepEqual(dangling[0].RepoTags, []);

  const bad = async (p: Promise<unknown>, re: RegExp) =>
    assert.rejects(p, (e: Error) => kindOf(e) === 'InvalidArgument' && re.test(e.message));
  await bad(imageTag(t.d, 'app', 'app', '-bad'), /^invalid tag format$/);
  await bad(imageTag(t.d, 'app', 'sha256', 'x'), /refusing to create an ambiguous tag using digest algorithm as name/);
  await bad(imageTag(t.d, 'app', 'UPPER', 'x'), /must be lowercase/);
  await bad(imageTag(t.d, 'app', `app@sha256:${'a'.repeat(64)}`), /cannot import digest reference/);
  await bad(imageTag(t.d, 'app', 'a'.repeat(64), 'x'), /cannot specify 64-byte hexadecimal strings/);
  await assert.rejects(imageTag(t.d, 'ghost', 'app', 'x'), /No such image: ghost:latest/);
});
