// push and pull through the berth CLI against Debian's docker-registry (the reference distribution
// registry), between two berthds: what one pushes, the other pulls and runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { uploadBlob } from '../../../src/distribution/blob-upload.js';
import { Distribution } from '../../../src/distribution/distribution.js';
import { importBusybox, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';
import { startRegistry, type RegistryHandle } from './registry.js';

let reg: RegistryHandle;
let a: BerthdHandle;
let b: BerthdHandle;
let host: string;
const on = (d: BerthdHandle) => (...args: string[]) => runCli(args, { socket: d.socket, timeoutMs: 120_000 });
let cliA: ReturnType<typeof on>;
let cliB: ReturnType<typeof on>;

before(async () => {
  [reg, a, b] = await Promise.all([startRegistry(), startBerthd(), startBerthd()]);
  host = reg.host;
  cliA = on(a);
  cliB = on(b);
  await importBusybox(a.socket);
});
after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await reg?.stop();
});

const lines = (s: string) => s.split('\n').filter(Boolean);

test('push from one berthd, pull into another, run; pushing again uploads nothing', async () => {
  assert.equal((await cliA('tag', 'busybox', `${host}/test/busybox:1`)).code, 0);
  const push = await cliA('push', `${host}/test/busybox:1`);
  assert.equal(push.code, 0, push.stderr);
  const out = lines(push.stdout);
  assert.equal(out[0], `The push refers to repository [${host}/test/busybox]`);
  assert.match(out[1], /^[a-f0-9]{12}: Preparing$/);
  assert.match(out[2], /^[a-f0-9]{12}: Pushed$/);
  const m = /^1: digest: (sha256:[a-f0-9]{64}) size: (\d+)$/.exec(out[3]);
  assert.ok(m, push.stdout);
  const digest = m[1];

  const pull = await cliB('pull', `${host}/test/busybox:1`);
  assert.equal(pull.code, 0, pull.stderr);
  const p = lines(pull.stdout);
  assert.equal(p[0], '1: Pulling from test/busybox');
  assert.match(p[1], /^[a-f0-9]{12}: Pulling fs layer$/);
  assert.deepEqual(p.slice(-3), [`Digest: ${digest}`, `Status: Downloaded newer image for ${host}/test/busybox:1`, `${host}/test/busybox:1`]);
  assert.ok(p.some((l) => /: Pull complete$/.test(l)));
  assert.equal((await cliB('run', '--rm', `${host}/test/busybox:1`, 'echo', 'pulled and running')).stdout, 'pulled and running\n');

  // Same image ID on both sides, and the digest recorded on both.
  const idA = (await cliA('image', 'inspect', '--format', '{{.Id}}', 'busybox')).stdout;
  assert.equal((await cliB('image', 'inspect', '--format', '{{.Id}}', `${host}/test/busybox:1`)).stdout, idA);
  for (const cli of [cliA, cliB]) {
    const repoDigests = (await cli('image', 'inspect', '--format', '{{json .RepoDigests}}', `${host}/test/busybox:1`)).stdout;
    assert.deepEqual(JSON.parse(repoDigests), [`${host}/test/busybox@${digest}`]);
  }
  assert.match((await cliB('images', '--digests')).stdout, new RegExp(`${host}/test/busybox\\s+1\\s+${digest}\\s`));

  const again = await cliA('push', `${host}/test/busybox:1`);
  assert.match(again.stdout, /^[a-f0-9]{12}: Layer already exists$/m);
  assert.doesNotMatch(again.stdout, /Pushed|Pushing/);
  assert.match(again.stdout, new RegExp(`^1: digest: ${digest} size: \\d+$`, 'm'));

  const upToDate = await cliB('pull', `${host}/test/busybox:1`);
  assert.match(upToDate.stdout, new RegExp(`Status: Image is up to date for ${host}/test/busybox:1`));
});

test('a second repository of the same registry mounts the layers from the first', async () => {
  assert.equal((await cliA('tag', 'busybox', `${host}/other/busybox:x`)).code, 0);
  const push = await cliA('push', `${host}/other/busybox:x`);
  assert.equal(push.code, 0, push.stderr);
  assert.match(push.stdout, /^[a-f0-9]{12}: Mounted from test\/busybox$/m);
});

test('a committed layer (stored uncompressed) is gzipped on push; the two-layer image round-trips', async () => {
  const run = await cliA('run', '--name', 'maker', 'busybox', 'sh', '-c', 'echo layered > /f');
  assert.equal(run.code, 0, run.stderr);
  assert.equal((await cliA('commit', 'maker', `${host}/test/two:1`)).code, 0);
  await cliA('rm', 'maker');
  const push = await cliA('push', `${host}/test/two:1`);
  assert.equal(push.code, 0, push.stderr);
  assert.equal(lines(push.stdout).filter((l) => l.endsWith(': Pushed')).length, 1, push.stdout);
  // The busybox layer is in other repositories of this registry already.
  assert.equal(lines(push.stdout).filter((l) => /: (Layer already exists|Mounted from \S+)$/.test(l)).length, 1, push.stdout);

  const pull = await cliB('pull', `${host}/test/two:1`);
  assert.equal(pull.code, 0, pull.stderr);
  assert.match(pull.stdout, /: Already exists$/m);
  assert.equal((await cliB('run', '--rm', `${host}/test/two:1`, 'cat', '/f')).stdout, 'layered\n');

  // The compressed form is remembered: nothing is compressed or uploaded again.
  const again = await cliA('push', `${host}/test/two:1`);
  assert.equal(lines(again.stdout).filter((l) => l.endsWith(': Layer already exists')).length, 2, again.stdout);
});

test('pull -a, pull by digest and -q', async () => {
  assert.equal((await cliA('tag', 'busybox', `${host}/test/busybox:2`)).code, 0);
  assert.equal((await cliA('push', '-q', `${host}/test/busybox:2`)).stdout, `${host}/test/busybox:2\n`);
  const all = await cliB('pull', '-a', `${host}/test/busybox`);
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /^1: Pulling from test\/busybox$/m);
  assert.match(all.stdout, /^2: Pulling from test\/busybox$/m);
  assert.equal(lines(all.stdout).at(-1), `${host}/test/busybox`);
  assert.match(lines(all.stdout).at(-2) ?? '', new RegExp(`^Status: Downloaded newer image for ${host}/test/busybox$`));
  assert.match((await cliB('images', '--format', '{{.Tag}}', `${host}/test/busybox`)).stdout, /^2\n1\n$|^1\n2\n$/);
  assert.equal((await cliB('pull', '-a', `${host}/test/busybox:1`)).stderr, "tag can't be used with --all-tags/-a\n");

  const digest = JSON.parse((await cliB('image', 'inspect', '--format', '{{json .RepoDigests}}', `${host}/test/busybox:1`)).stdout)[0] as string;
  await cliB('rmi', `${host}/test/busybox:1`, `${host}/test/busybox:2`, digest);
  const byDigest = await cliB('pull', '-q', digest);
  assert.equal(byDigest.code, 0, byDigest.stderr);
  assert.equal(byDigest.stdout, `${digest}\n`);
  assert.equal((await cliB('run', '--rm', digest, 'echo', 'by digest')).stdout, 'by digest\n');
  await cliB('rmi', digest);
});

test('run and create of an image that is not here pull it first, as docker run does', async () => {
  await cliB('rmi', `${host}/test/busybox:1`);
  const run = await cliB('run', '--rm', `${host}/test/busybox:1`, 'echo', 'ok');
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'ok\n');
  const err = lines(run.stderr);
  assert.equal(err[0], `Unable to find image '${host}/test/busybox:1' locally`);
  assert.equal(err[1], '1: Pulling from test/busybox');
  assert.equal(err.at(-1), `Status: Downloaded newer image for ${host}/test/busybox:1`);

  const missing = await cliB('run', '--rm', `${host}/test/nothing`);
  assert.equal(missing.code, 125);
  assert.match(missing.stderr, new RegExp(`^Unable to find image '${host}/test/nothing:latest' locally\n`));
  assert.match(missing.stderr, /Error response from daemon: manifest for .*\/test\/nothing:latest not found: manifest unknown: manifest unknown/);
});

test("search lists the registry's repositories matching the term", async () => {
  const r = await cliA('search', `${host}/busybox`);
  assert.equal(r.code, 0, r.stderr);
  const rows = lines(r.stdout);
  assert.match(rows[0], /^NAME\s+DESCRIPTION\s+STARS\s+OFFICIAL$/);
  assert.deepEqual(rows.slice(1).map((l) => l.split(/\s+/)[0]).sort(), [`${host}/other/busybox`, `${host}/test/busybox`]);
  assert.equal((await cliA('search', '--format', '{{.Name}}', '--limit', '1', `${host}/two`)).stdout, `${host}/test/two\n`);
});

test('chunked uploads (PATCH with Content-Range) and monolithic ones are accepted by the registry', async () => {
  const dist = new Distribution(a.dataRoot);
  const repo = dist.repository(host, 'test/chunks', undefined, true);
  const data = randomBytes(200_000);
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  const pieces = [data.subarray(0, 70_000), data.subarray(70_000, 150_000), data.subarray(150_000)];
  assert.deepEqual(await uploadBlob(repo, Readable.from(pieces), { chunkSize: 64 << 10 }), { digest, size: data.length });
  assert.equal(await repo.statBlob(digest), data.length);
  const res = await fetch(`http://${host}/v2/test/chunks/blobs/${digest}`);
  assert.ok(Buffer.from(await res.arrayBuffer()).equals(data));

  const small = Buffer.from('monolithic');
  const smallDigest = `sha256:${createHash('sha256').update(small).digest('hex')}`;
  await uploadBlob(repo, Readable.from([small]), { digest: smallDigest, size: small.length });
  assert.equal(await repo.statBlob(smallDigest), small.length);
  await assert.rejects(uploadBlob(repo, Readable.from([small]), { digest: digest, size: small.length }), /digest mismatch while uploading/);
});
