// Image formats a pull must handle: OCI manifests and indexes with platform selection, zstd and
// uncompressed layers; the download queue (--max-concurrent-downloads) and its "Waiting" lines; and a
// zstd image pushed back as an OCI manifest (Docker's schema 2 cannot name zstd layers).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { apiRequest, busyboxRootfs, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';
import { buildImage, buildIndex, FakeRegistry, tarOf, type FakeImage } from './fake-registry.js';
import { startRegistry, type RegistryHandle } from './registry.js';

let d: BerthdHandle;
let fake: FakeRegistry;
let reg: RegistryHandle;
let amd: FakeImage;
let arm: FakeImage;
let index: { body: Buffer; digest: string };
const cli = (...args: string[]) => runCli(args, { socket: d.socket, timeoutMs: 120_000 });

before(async () => {
  [d, reg] = await Promise.all([
    startBerthd({ args: ['--max-concurrent-downloads', '1', '--insecure-registry', '10.0.0.0/8', '--max-concurrent-uploads', '2'] }),
    startRegistry(),
  ]);
  const busybox = readFileSync((await busyboxRootfs()).file);
  amd = buildImage('multi/app', 'amd', [busybox, await tarOf({ 'hello.txt': 'zstd layer on amd64\n' })], { oci: true, compression: 'zstd' });
  arm = buildImage('multi/app', 'arm', [await tarOf({ 'arch.txt': 'arm64\n' })], { oci: true, compression: 'none', architecture: 'arm64' });
  index = buildIndex([
    { img: arm, os: 'linux', architecture: 'arm64', variant: 'v8' },
    { img: amd, os: 'linux', architecture: 'amd64' },
  ]);
  fake = new FakeRegistry().addIndex('multi/app', 'latest', index, [amd, arm]);
  const many = await Promise.all([1, 2, 3, 4].map((i) => tarOf({ [`f${i}`]: `${i}\n` })));
  fake.add(buildImage('many/layers', 'v1', [busybox, ...many]));
  await fake.start();
});
after(async () => {
  await fake?.stop();
  await d?.stop();
  await reg?.stop();
});

test('an OCI index: the host platform by default, --platform for another; zstd and plain layers unpack', async () => {
  const pull = await cli('pull', `${fake.host}/multi/app`);
  assert.equal(pull.code, 0, pull.stderr);
  assert.match(pull.stdout, new RegExp(`^Digest: ${index.digest}$`, 'm'));
  assert.equal((await cli('run', '--rm', `${fake.host}/multi/app`, 'cat', '/hello.txt')).stdout, 'zstd layer on amd64\n');
  const inspect = JSON.parse((await cli('image', 'inspect', `${fake.host}/multi/app`)).stdout)[0] as { Id: string; Architecture: string; RepoDigests: string[] };
  assert.equal(inspect.Id, amd.configDigest);
  assert.equal(inspect.Architecture, 'amd64');
  assert.deepEqual(inspect.RepoDigests, [`${fake.host}/multi/app@${index.digest}`]);

  const other = await cli('pull', '--platform', 'linux/arm64', `${fake.host}/multi/app`);
  assert.equal(other.code, 0, other.stderr);
  assert.equal((await cli('image', 'inspect', '--format', '{{.Id}} {{.Architecture}}', `${fake.host}/multi/app`)).stdout, `${arm.configDigest} arm64\n`);
  const none = await cli('pull', '--platform', 'linux/s390x', `${fake.host}/multi/app`);
  assert.equal(none.code, 1);
  assert.equal(none.stderr, 'Error response from daemon: no matching manifest for linux/s390x in the manifest list entries\n');
});

test('with one download at a time, the other layers wait their turn ("Waiting")', async () => {
  const res = await apiRequest(d.socket, 'POST', `/images/create?fromImage=${fake.host}/many/layers&tag=v1`, { timeoutMs: 120_000 });
  assert.equal(res.status, 200);
  const msgs = res.body.toString().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { status?: string; id?: string; error?: string });
  assert.equal(msgs.find((m) => m.error)?.error, undefined);
  const waiting = msgs.filter((m) => m.status === 'Waiting').map((m) => m.id);
  // busybox's layer is here already; of the four new ones, the first starts and three wait.
  assert.equal(waiting.length, 3, JSON.stringify(msgs));
  assert.equal(msgs.filter((m) => m.status === 'Already exists').length, 1);
  assert.equal(msgs.filter((m) => m.status === 'Pull complete').length, 4);
  assert.equal((await cli('run', '--rm', `${fake.host}/many/layers:v1`, 'cat', '/f1', '/f4')).stdout, '1\n4\n');
});

test('an image with zstd layers is pushed as an OCI manifest naming them', async () => {
  const target = `${reg.host}/oci/zstd:1`;
  assert.equal((await cli('pull', `${fake.host}/multi/app`)).code, 0);
  assert.equal((await cli('tag', `${fake.host}/multi/app`, target)).code, 0);
  const push = await cli('push', target);
  assert.equal(push.code, 0, push.stderr);
  const res = await fetch(`http://${reg.host}/v2/oci/zstd/manifests/1`, {
    headers: { Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
  });
  const manifest = (await res.json()) as { mediaType: string; config: { mediaType: string; digest: string }; layers: Array<{ mediaType: string; digest: string }> };
  assert.equal(manifest.mediaType, 'application/vnd.oci.image.manifest.v1+json');
  assert.equal(manifest.config.mediaType, 'application/vnd.oci.image.config.v1+json');
  assert.equal(manifest.config.digest, amd.configDigest);
  assert.deepEqual(manifest.layers.map((l) => l.mediaType), amd.layers.map(() => 'application/vnd.oci.image.layer.v1.tar+zstd'));
  assert.deepEqual(manifest.layers.map((l) => l.digest), amd.layers.map((l) => l.digest));
});
