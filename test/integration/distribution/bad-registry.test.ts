// Pulls against a registry that misbehaves (a fake one: real registries do not cut connections or
// lie about digests on demand): resumption with Range, retries, Docker's errors for 404/500/garbage,
// and nothing left behind by a failed pull but the partial blob kept for the next one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { apiRequest, busyboxRootfs, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';
import { buildImage, FakeRegistry, tarOf, type FakeImage } from './fake-registry.js';

let d: BerthdHandle;
let reg: FakeRegistry;
let img: FakeImage;
const cli = (...args: string[]) => runCli(args, { socket: d.socket, timeoutMs: 120_000 });

before(async () => {
  // Two attempts per blob, so one cut is retried within a pull and a second failure ends it.
  d = await startBerthd({ args: ['--max-download-attempts', '2'] });
  const busybox = readFileSync((await busyboxRootfs()).file);
  img = buildImage('bad/img', 'v1', [busybox, await tarOf({ 'hello.txt': 'hello from the fake registry\n' })]);
  reg = await new FakeRegistry().add(img).start();
});
after(async () => {
  await reg?.stop();
  await d?.stop();
});

interface PullResult {
  status: number;
  messages: Array<{ status?: string; id?: string; error?: string; errorDetail?: { message: string } }>;
  error?: string;
}

async function pull(name: string, tag: string): Promise<PullResult> {
  const res = await apiRequest(d.socket, 'POST', `/images/create?fromImage=${encodeURIComponent(name)}&tag=${encodeURIComponent(tag)}`, {
    timeoutMs: 120_000,
  });
  const text = res.body.toString();
  if (res.status !== 200) return { status: res.status, messages: [], error: (JSON.parse(text) as { message: string }).message };
  const messages = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as PullResult['messages'][number]);
  return { status: 200, messages, error: messages.find((m) => m.error)?.error };
}

const partials = () => {
  const dir = path.join(d.dataRoot, 'distribution', 'ingest');
  return existsSync(dir) ? readdirSync(dir) : [];
};
const ingestFiles = () => readdirSync(path.join(d.dataRoot, 'content', 'ingest'));
const blobs = () => readdirSync(path.join(d.dataRoot, 'content', 'blobs', 'sha256')).sort();
const snapshotKeys = () => Object.keys((JSON.parse(readFileSync(path.join(d.dataRoot, 'snapshots', 'metadata.json'), 'utf8')) as { snapshots?: object }).snapshots ?? {});

/** The snapshot directories on disk (numbered), whatever the index says. */
const snapshotDirs = () => readdirSync(path.join(d.dataRoot, 'snapshots')).filter((n) => /^\d+$/.test(n)).sort();

async function removeImage(ref: string): Promise<void> {
  await cli('rmi', ref);
}

test('a connection cut in the middle of a layer is resumed with Range in the same pull', async () => {
  const big = img.layers[0];
  reg.cutBlob.set(big.digest, { after: 300_000, times: 1 });
  const r = await pull(`${reg.host}/bad/img`, 'v1');
  assert.equal(r.error, undefined, JSON.stringify(r.messages));
  const gets = reg.blobRequests(big.digest);
  assert.equal(gets.length, 2);
  assert.equal(gets[0].range, undefined);
  assert.equal(gets[1].range, 'bytes=300000-');
  assert.ok(r.messages.some((m) => m.status === 'Retrying in 1 second' && m.id === big.digest.slice(7, 19)));
  const run = await cli('run', '--rm', `${reg.host}/bad/img:v1`, 'cat', '/hello.txt');
  assert.equal(run.stdout, 'hello from the fake registry\n', run.stderr);
  assert.deepEqual(partials(), []);
  await removeImage(`${reg.host}/bad/img:v1`);
});

test('an interrupted pull keeps its partial blob; the next pull (after a restart) resumes it; prune removes leftovers', async () => {
  const big = img.layers[0];
  reg.requests.length = 0;
  // A 503, then a retry cut short: the pull fails with the first 400000 bytes kept.
  reg.failBlob.set(big.digest, { status: 503, times: 1 });
  reg.cutBlob.set(big.digest, { after: 400_000, times: 1 });
  const first = await pull(`${reg.host}/bad/img`, 'v1');
  assert.equal(first.error, `failed to download layer ${big.digest} of ${reg.host}/bad/img:v1: unexpected EOF`);
  assert.deepEqual(partials(), [`${big.digest.slice(7)}.partial`]);
  assert.equal(readFileSync(path.join(d.dataRoot, 'distribution', 'ingest', partials()[0])).length, 400_000);
  assert.equal((await cli('images', '-q', `${reg.host}/bad/img`)).stdout, '');

  // The partial blob outlives the daemon: a restarted berthd resumes it too.
  await d.restart();
  reg.requests.length = 0;
  const second = await pull(`${reg.host}/bad/img`, 'v1');
  assert.equal(second.error, undefined, JSON.stringify(second.messages));
  assert.deepEqual(reg.blobRequests(big.digest).map((g) => g.range), ['bytes=400000-']);
  assert.deepEqual(partials(), []);
  assert.equal((await cli('run', '--rm', `${reg.host}/bad/img:v1`, 'cat', '/hello.txt')).stdout, 'hello from the fake registry\n');
  await removeImage(`${reg.host}/bad/img:v1`);

  // Another interrupted pull, then `image prune`: the partial goes and counts as reclaimed.
  reg.cutBlob.set(big.digest, { after: 100_000, times: 1 });
  reg.failBlob.set(big.digest, { status: 503, times: 1 });
  assert.ok((await pull(`${reg.host}/bad/img`, 'v1')).error);
  assert.equal(partials().length, 1);
  const prune = await apiRequest(d.socket, 'POST', '/images/prune');
  assert.equal(prune.status, 200);
  assert.ok((JSON.parse(prune.body.toString()) as { SpaceReclaimed: number }).SpaceReclaimed >= 100_000);
  assert.deepEqual(partials(), []);
});

/**
 * Pulls bad/img with `layer`'s blob corrupted: the pull fails naming the layer and leaves no image, blob,
 * snapshot or ingest file, and berthd stays up. Returns the pull and the snapshot directories before it.
 */
async function pullCorrupted(layer: FakeImage['layers'][number]): Promise<{ r: PullResult; dirsBefore: string[] }> {
  const blobsBefore = blobs();
  const snapsBefore = snapshotKeys();
  const dirsBefore = snapshotDirs();
  const bad = Buffer.from(layer.blob);
  bad[bad.length - 5] ^= 0xff;
  reg.corruptBlob.set(layer.digest, bad);
  let r: PullResult;
  try {
    r = await pull(`${reg.host}/bad/img`, 'v1');
    assert.match(r.error ?? '', new RegExp(`filesystem layer verification failed for digest ${layer.digest}`));
  } finally {
    reg.corruptBlob.clear();
  }
  assert.equal((await cli('images', '-q', `${reg.host}/bad/img`)).stdout, '');
  await apiRequest(d.socket, 'GET', '/_ping');
  assert.deepEqual(blobs(), blobsBefore);
  assert.deepEqual(snapshotKeys().sort(), snapsBefore.sort());
  assert.deepEqual(ingestFiles(), []);
  assert.deepEqual(partials(), []);
  return { r, dirsBefore };
}

test('a layer that does not match its digest fails the pull naming it, and leaves nothing behind', async () => {
  await pullCorrupted(img.layers[1]);
});

test('a bad first layer fails the pull, and nothing of the layer above it (fetched meanwhile) is left', async () => {
  const [first, second] = img.layers;
  const { r, dirsBefore } = await pullCorrupted(first);
  // The second layer was fetched beside the first.
  assert.ok(r.messages.some((m) => m.id === second.digest.slice(7, 19) && m.status === 'Download complete'));
  assert.deepEqual(snapshotDirs(), dirsBefore);
});

test("Docker's errors for an unknown tag, a missing blob, a 500 and garbage", async () => {
  const unknown = await pull(`${reg.host}/bad/img`, 'nope');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.error, `manifest for ${reg.host}/bad/img:nope not found: manifest unknown: manifest unknown`);

  const cliPull = await cli('pull', `${reg.host}/bad/img:nope`);
  assert.equal(cliPull.code, 1);
  assert.equal(cliPull.stderr, `Error response from daemon: manifest for ${reg.host}/bad/img:nope not found: manifest unknown: manifest unknown\n`);

  reg.manifestOverride = { status: 500, body: 'oops' };
  try {
    const r = await pull(`${reg.host}/bad/img`, 'v1');
    assert.equal(r.status, 500);
    assert.equal(r.error, 'received unexpected HTTP status: 500 Internal Server Error');
    reg.manifestOverride = { status: 200, body: '{"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json", "config": ' };
    const garbage = await pull(`${reg.host}/bad/img`, 'v1');
    assert.equal(garbage.status, 400);
    assert.match(garbage.error ?? '', new RegExp(`^error unmarshalling manifest for ${reg.host}/bad/img:v1: `));
  } finally {
    reg.manifestOverride = undefined;
  }

  // A blob the registry lost: the pull fails in-band, naming the layer.
  const lost = buildImage('bad/lost', 'v1', [await tarOf({ a: 'a' })]);
  reg.add({ ...lost, layers: [] });
  const r = await pull(`${reg.host}/bad/lost`, 'v1');
  assert.equal(r.status, 200);
  assert.equal(r.error, `failed to download layer ${lost.layers[0].digest} of ${reg.host}/bad/lost:v1: blob unknown: blob unknown to registry`);
  assert.deepEqual(ingestFiles(), []);
  assert.deepEqual(partials(), []);
});

test('refused references and platforms are 400s with Docker wording', async () => {
  assert.deepEqual(await pull(`${reg.host}/bad/IMG`, 'v1').then((r) => [r.status, r.error]), [
    400,
    'invalid reference format: repository name (bad/IMG) must be lowercase',
  ]);
  const res = await apiRequest(d.socket, 'POST', `/images/create?fromImage=${reg.host}/bad/img&tag=v1&platform=bogus`);
  assert.equal(res.status, 400);
  assert.equal((JSON.parse(res.body.toString()) as { message: string }).message, '"bogus": unknown operating system or architecture: invalid argument');
});
