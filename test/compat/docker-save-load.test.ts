// save and load across engines and tools: the real docker CLI against berthd and against the reference
// dockerd 20.10 (whose `docker save` writes Docker's legacy format), and skopeo reading berth's archives
// and writing its own (OCI archive, docker-archive with symlinked layers) for berth to load.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { entriesOf, fileOf } from '../integration/image/save-load-archives.js';
import { DOCKER_CLI } from '../helpers/daemon.js';
import { cleanup, compatDaemons, show, uniquePrefix } from './differential.js';

const env = compatDaemons({ reference: true });
const P = uniquePrefix('saveload');
const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-saveload-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function ok(socket: string, args: string[], input?: Buffer) {
  const r = await env.docker(socket, args, { input, timeoutMs: 120_000 });
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${show(r)}`);
  return r;
}

const idOf = async (socket: string, ref: string) => (await ok(socket, ['image', 'inspect', '--format', '{{.Id}}', ref])).stdout.trim();

function skopeo(args: string[]) {
  const r = spawnSync('skopeo', args, { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `skopeo ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test("the reference dockerd's docker save (legacy format, two images, a parent) loads into berth and runs", async () => {
  const ref = env.ref();
  const [one, two, c] = [`${P}-legacy:1`, `${P}-legacy:2`, `${P}-legacy-c`];
  try {
    await ok(ref, ['tag', 'busybox', one]);
    await ok(ref, ['run', '--name', c, 'busybox', 'sh', '-c', 'echo two > /two.txt']);
    await ok(ref, ['commit', c, two]);
    const file = path.join(dir, 'legacy.tar');
    await ok(ref, ['save', '-o', file, one, two]);
    const names = (await entriesOf(readFileSync(file))).map((e) => e.name);
    assert.ok(names.some((n) => n.endsWith('/layer.tar')), `a legacy archive: ${names.join(' ')}`);
    assert.ok(!names.includes('index.json'));

    const loaded = await ok(env.berth, ['load', '-i', file]);
    const again = await ok(ref, ['load', '-i', file]);
    assert.deepEqual(loaded.stdout.split('\n').sort(), again.stdout.split('\n').sort(), 'the same messages as dockerd');
    assert.deepEqual(loaded.stdout.split('\n').filter(Boolean).sort(), [`Loaded image: ${one}`, `Loaded image: ${two}`]);
    assert.equal(await idOf(env.berth, two), await idOf(ref, two), 'same image ID');
    assert.equal(await idOf(env.berth, one), await idOf(ref, one));
    const parentOf = async (socket: string) => (await ok(socket, ['image', 'inspect', '--format', '{{.Parent}}', two])).stdout;
    assert.equal(await parentOf(env.berth), await parentOf(ref), 'the parent link from manifest.json');
    assert.equal((await parentOf(env.berth)).trim(), await idOf(env.berth, one));
    assert.equal((await ok(env.berth, ['run', '--rm', two, 'cat', '/two.txt'])).stdout, 'two\n');
  } finally {
    await cleanup(ref, { containers: [c], images: [two, one] });
    await cleanup(env.berth, { images: [two, one] });
  }
});

test("berth's archive (docker save against berthd) loads into the reference dockerd and runs there", async () => {
  const ref = env.ref();
  const [img, c] = [`${P}-berth:1`, `${P}-berth-c`];
  try {
    await ok(env.berth, ['run', '--name', c, 'busybox', 'sh', '-c', 'echo made-by-berth > /b.txt']);
    await ok(env.berth, ['commit', c, img]);
    const file = path.join(dir, 'berth.tar');
    await ok(env.berth, ['save', '-o', file, img]);
    const loaded = await ok(ref, ['load', '-i', file]);
    assert.equal(loaded.stdout, `Loaded image: ${img}\n`);
    assert.equal(await idOf(ref, img), await idOf(env.berth, img), 'same image ID');
    assert.equal((await ok(ref, ['run', '--rm', img, 'cat', '/b.txt'])).stdout, 'made-by-berth\n');
    // And back: the reference's save of it loads into berth as the same image.
    const back = path.join(dir, 'back.tar');
    await ok(ref, ['save', '-o', back, img]);
    await ok(env.berth, ['rmi', img]);
    assert.equal((await ok(env.berth, ['load', '-i', back])).stdout, `Loaded image: ${img}\n`);
    assert.equal((await ok(env.berth, ['run', '--rm', img, 'cat', '/b.txt'])).stdout, 'made-by-berth\n');
  } finally {
    await cleanup(ref, { images: [img] });
    await cleanup(env.berth, { containers: [c], images: [img] });
  }
});

test('through the docker CLI against berthd: save to stdout | gzip | load from stdin; errors as dockerd words them', async () => {
  const img = `${P}-gz:1`;
  const gz = path.join(dir, 'piped.tar.gz');
  try {
    await ok(env.berth, ['tag', 'busybox', img]);
    const sh = spawnSync(
      'sh',
      ['-c', `set -e; ${DOCKER_CLI} save ${img} | gzip > ${gz}; ${DOCKER_CLI} rmi ${img} >/dev/null; ${DOCKER_CLI} load < ${gz}`],
      { env: { ...process.env, DOCKER_HOST: `unix://${env.berth}`, DOCKER_CONTEXT: '' }, encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(sh.status, 0, sh.stderr);
    assert.equal(sh.stdout, `Loaded image: ${img}\n`);
  } finally {
    await cleanup(env.berth, { images: [img] });
  }
  const missing = `${P}-nothing`;
  const { berth, ref } = await env.both(['save', '-o', path.join(dir, 'missing.tar'), missing]);
  assert.equal(berth.code, ref.code, show(berth));
  assert.equal(berth.stderr, ref.stderr);
  assert.equal(berth.stderr, `Error response from daemon: No such image: ${missing}\n`);
  const garbage = await env.both(['load'], { input: Buffer.from('not a tar archive at all'.repeat(50)) });
  assert.equal(garbage.berth.code, 1, show(garbage.berth));
  assert.equal(garbage.ref.code, 1);
});

test("skopeo reads berth's archive (docker-archive:, oci-archive:, oci: on the extracted layout) and berth loads skopeo's", async () => {
  const img = `${P}-sk:1`;
  const file = path.join(dir, 'sk.tar');
  try {
    await ok(env.berth, ['tag', 'busybox', img]);
    await ok(env.berth, ['save', '-o', file, img]);
    const id = await idOf(env.berth, img);
    const manifest = JSON.parse(fileOf(await entriesOf(readFileSync(file)), 'manifest.json').toString());
    const asDocker = JSON.parse(skopeo(['inspect', `docker-archive:${file}`]));
    assert.equal(asDocker.Architecture, 'amd64');
    assert.equal(asDocker.Layers.length, manifest[0].Layers.length);
    const asOci = JSON.parse(skopeo(['inspect', `oci-archive:${file}:1`]));
    assert.equal(asOci.Os, 'linux');
    const layout = path.join(dir, 'layout');
    spawnSync('mkdir', ['-p', layout]);
    assert.equal(spawnSync('tar', ['xf', file, '-C', layout]).status, 0);
    const cfg = JSON.parse(skopeo(['inspect', '--config', `oci:${layout}:1`]));
    assert.deepEqual(cfg.rootfs.diff_ids, JSON.parse(skopeo(['inspect', '--config', `docker-archive:${file}`])).rootfs.diff_ids);
    assert.equal(`sha256:${spawnSync('sha256sum', [path.join(layout, 'blobs/sha256', id.slice(7))], { encoding: 'utf8' }).stdout.slice(0, 64)}`, id);

    // skopeo's own archives: a pure OCI layout (gzip layer, no manifest.json) and a docker-archive.
    const ociOut = path.join(dir, 'from-skopeo-oci.tar');
    const dockerOut = path.join(dir, 'from-skopeo-docker.tar');
    skopeo(['copy', `docker-archive:${file}`, `oci-archive:${ociOut}:example.com/${P}/oci:2`]);
    skopeo(['copy', `docker-archive:${file}`, `docker-archive:${dockerOut}:${P}/docker:3`]);
    assert.equal((await ok(env.berth, ['load', '-i', ociOut])).stdout, `Loaded image: example.com/${P}/oci:2\n`);
    assert.equal((await ok(env.berth, ['load', '-i', dockerOut])).stdout, `Loaded image: ${P}/docker:3\n`);
    // skopeo rewrites the config as an OCI config (another ID); the layers are the same.
    const layersOf = async (ref: string) => (await ok(env.berth, ['image', 'inspect', '--format', '{{json .RootFS.Layers}}', ref])).stdout;
    assert.equal(await layersOf(`example.com/${P}/oci:2`), await layersOf(img));
    assert.equal((await ok(env.berth, ['run', '--rm', `example.com/${P}/oci:2`, 'echo', 'oci-made'])).stdout, 'oci-made\n');
    assert.equal((await ok(env.berth, ['run', '--rm', `${P}/docker:3`, 'echo', 'skopeo-made'])).stdout, 'skopeo-made\n');
  } finally {
    await cleanup(env.berth, { images: [img, `example.com/${P}/oci:2`, `${P}/docker:3`] });
  }
});
