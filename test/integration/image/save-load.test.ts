// save and load against a real berthd: round trips through berth's own archives, the archive's
// format (Docker 25: OCI layout + manifest.json + repositories), names, messages and CLI errors.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { apiRequest, importBusybox, repoRoot, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';
import { archiveOf, buildImage, entriesOf, fileOf, hex, layerOf, messages, sha, tarOf } from './save-load-archives.js';

let d: BerthdHandle;
let busyboxId: string;
const cli = (...args: string[]) => runCli(args, { socket: d.socket, timeoutMs: 120_000 });

before(async () => {
  d = await startBerthd();
  busyboxId = await importBusybox(d.socket);
});
after(async () => {
  await d?.stop();
});

async function inspectId(ref: string): Promise<string | undefined> {
  const r = await apiRequest(d.socket, 'GET', `/images/${encodeURIComponent(ref)}/json`);
  return r.status === 200 ? (JSON.parse(r.body.toString()) as { Id: string }).Id : undefined;
}

async function save(...names: string[]): Promise<Buffer> {
  const r = await apiRequest(d.socket, 'GET', `/images/get?${names.map((n) => `names=${encodeURIComponent(n)}`).join('&')}`);
  assert.equal(r.status, 200, r.body.toString());
  assert.equal(r.headers['content-type'], 'application/x-tar');
  return r.body;
}

async function load(archive: Buffer, query = '') {
  const r = await apiRequest(d.socket, 'POST', `/images/load${query}`, { body: archive, headers: { 'Content-Type': 'application/x-tar' }, timeoutMs: 120_000 });
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/json');
  return messages(r.body);
}

test('round trip: save two images (one committed on top of busybox) to a file, rmi, load; same IDs; they run', async () => {
  assert.equal((await cli('tag', 'busybox', 'sl-rt:base')).code, 0);
  const c = await cli('run', '--name', 'sl-rt-c', 'busybox', 'sh', '-c', 'echo committed > /hello.txt');
  assert.equal(c.code, 0, c.stderr);
  const commit = await cli('commit', '-c', 'CMD ["cat", "/hello.txt"]', 'sl-rt-c', 'sl-rt:top');
  assert.equal(commit.code, 0, commit.stderr);
  await cli('rm', 'sl-rt-c');
  const topId = await inspectId('sl-rt:top');
  const file = path.join(d.dir, 'rt.tar');
  const s = await cli('save', '-o', file, 'sl-rt:top', 'sl-rt:base');
  assert.equal(s.code, 0, s.stderr);
  assert.equal(s.stdout, '');
  // Written through a temp file renamed into place, 0600 as docker does; no temp file left.
  assert.deepEqual(readdirSync(d.dir).filter((n) => n.startsWith('.docker_temp_')), []);

  assert.equal((await cli('rmi', 'sl-rt:top', 'sl-rt:base')).code, 0);
  assert.equal(await inspectId('sl-rt:top'), undefined);
  const l = await cli('load', '-i', file);
  assert.equal(l.code, 0, l.stderr);
  assert.equal(l.stdout, 'Loaded image: sl-rt:top\nLoaded image: sl-rt:base\n');
  assert.equal(await inspectId('sl-rt:top'), topId);
  assert.equal(await inspectId('sl-rt:base'), busyboxId);
  const run = await cli('run', '--rm', 'sl-rt:top');
  assert.equal(run.stdout, 'committed\n', run.stderr);
  // The parent link survives (both images were in the archive).
  const top = JSON.parse((await apiRequest(d.socket, 'GET', '/images/sl-rt:top/json')).body.toString());
  assert.equal(top.Parent, busyboxId);
  assert.equal((await cli('rmi', 'sl-rt:top', 'sl-rt:base')).code, 0);
});

test("the archive is Docker 25's: oci-layout, index.json, manifest.json, repositories, blobs named by their digest", async () => {
  const entries = await entriesOf(await save('busybox:latest'));
  const names = entries.map((e) => e.name);
  for (const n of ['oci-layout', 'index.json', 'manifest.json', 'repositories']) assert.ok(names.includes(n), n);
  assert.deepEqual(JSON.parse(fileOf(entries, 'oci-layout').toString()), { imageLayoutVersion: '1.0.0' });
  for (const e of entries.filter((x) => x.name.startsWith('blobs/sha256/') && x.type === 'file')) {
    assert.equal(sha(e.data!), `sha256:${path.basename(e.name)}`, `${e.name} is named by its digest`);
  }
  const manifestJson = JSON.parse(fileOf(entries, 'manifest.json').toString());
  assert.deepEqual(manifestJson, [
    { Config: `blobs/sha256/${hex(busyboxId)}`, RepoTags: ['busybox:latest'], Layers: [manifestJson[0].Layers[0]] },
  ]);
  const layerBlob = path.basename(manifestJson[0].Layers[0]);
  assert.deepEqual(JSON.parse(fileOf(entries, 'repositories').toString()), { busybox: { latest: layerBlob } });
  const index = JSON.parse(fileOf(entries, 'index.json').toString());
  assert.equal(index.mediaType, 'application/vnd.oci.image.index.v1+json');
  assert.equal(index.manifests.length, 1);
  assert.deepEqual(index.manifests[0].annotations, {
    'io.containerd.image.name': 'docker.io/library/busybox:latest',
    'org.opencontainers.image.ref.name': 'latest',
  });
  const manifest = JSON.parse(fileOf(entries, `blobs/sha256/${hex(index.manifests[0].digest)}`).toString());
  assert.equal(manifest.mediaType, 'application/vnd.oci.image.manifest.v1+json');
  assert.equal(manifest.config.digest, busyboxId);
  assert.equal(manifest.layers[0].digest, `sha256:${layerBlob}`);
  // The layer is the blob the content store holds, byte for byte.
  assert.deepEqual(
    fileOf(entries, `blobs/sha256/${layerBlob}`),
    readFileSync(path.join(d.dataRoot, 'content', 'blobs', 'sha256', layerBlob)),
  );
});

test('names: by ID no RepoTags; a bare repository saves all its tags; several names of one image list them all', async () => {
  await cli('tag', 'busybox', 'sl-names:a');
  await cli('tag', 'busybox', 'sl-names:b');
  try {
    const byId = JSON.parse(fileOf(await entriesOf(await save(hex(busyboxId).slice(0, 12))), 'manifest.json').toString());
    assert.equal(byId[0].RepoTags, null);
    const repo = JSON.parse(fileOf(await entriesOf(await save('sl-names')), 'manifest.json').toString());
    assert.deepEqual(repo[0].RepoTags, ['sl-names:a', 'sl-names:b']);
    const several = await entriesOf(await save('busybox', 'sl-names:b', busyboxId));
    const m = JSON.parse(fileOf(several, 'manifest.json').toString());
    assert.equal(m.length, 1);
    assert.deepEqual(m[0].RepoTags, ['busybox:latest', 'sl-names:b']);
    const index = JSON.parse(fileOf(several, 'index.json').toString());
    assert.deepEqual(
      index.manifests.map((x: { annotations: Record<string, string> }) => x.annotations['io.containerd.image.name']),
      ['docker.io/library/busybox:latest', 'docker.io/library/sl-names:b'],
    );
  } finally {
    await cli('rmi', 'sl-names:a', 'sl-names:b');
  }
});

test('a missing image is a 404 with Docker\'s message before any byte; the CLI leaves no file behind', async () => {
  const r = await apiRequest(d.socket, 'GET', '/images/get?names=busybox&names=nothing-here');
  assert.equal(r.status, 404);
  assert.deepEqual(JSON.parse(r.body.toString()), { message: 'No such image: nothing-here' });
  const one = await apiRequest(d.socket, 'GET', '/images/nothing-here:v1/get');
  assert.equal(one.status, 404);
  assert.deepEqual(JSON.parse(one.body.toString()), { message: 'No such image: nothing-here:v1' });
  const out = path.join(d.dir, 'missing.tar');
  const s = await cli('save', '-o', out, 'nothing-here');
  assert.equal(s.code, 1);
  assert.equal(s.stderr, 'Error response from daemon: No such image: nothing-here\n');
  assert.equal(existsSync(out), false);
  const dir = await cli('save', '-o', d.dir, 'busybox');
  assert.equal(dir.stderr, 'failed to save image: cannot write to a directory\n');
  const nodir = await cli('save', '-o', '/nonexistent-dir/x.tar', 'busybox');
  assert.equal(nodir.stderr, 'failed to save image: invalid output path: stat /nonexistent-dir: no such file or directory\n');
});

test('save | gzip, then load from stdin with -q; the tag moves with Docker\'s message', async () => {
  const archive = await save('busybox:latest');
  // Another image under the same tag: loading must move busybox:latest back, saying so.
  const other = buildImage({ layers: [await layerOf({ 'x.txt': 'x' })], repoTags: ['busybox:latest'], config: { Labels: { t: 'gz' } } });
  const moved = await load(await archiveOf([other]));
  assert.deepEqual(moved.map((m) => m.stream), [
    `The image busybox:latest already exists, renaming the old one with ID ${busyboxId} to empty string\n`,
    'Loaded image: busybox:latest\n',
  ]);
  const r = await runCli(['load', '-q'], { socket: d.socket, input: gzipSync(archive) });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    `The image busybox:latest already exists, renaming the old one with ID ${other.id} to empty string\nLoaded image: busybox:latest\n`,
  );
  assert.equal(await inspectId('busybox:latest'), busyboxId);
  assert.equal((await cli('rmi', other.id)).code, 0);
});

test('untagged images load as "Loaded image ID"; quiet=0 reports "Loading layer" progress', async () => {
  const a = buildImage({ layers: [await layerOf({ 'a.txt': 'a' })], config: { Labels: { t: 'untagged-a' } } });
  const b = buildImage({ layers: [await layerOf({ 'b.txt': 'b' })], config: { Labels: { t: 'untagged-b' } } });
  const msgs = await load(await archiveOf([a, b]), '?quiet=0');
  const progress = msgs.filter((m) => m.status === 'Loading layer');
  assert.ok(progress.length >= 2, JSON.stringify(msgs));
  assert.ok(progress.every((m) => /^[a-f0-9]{12}$/.test(m.id ?? '')));
  assert.deepEqual(msgs.filter((m) => m.stream).map((m) => m.stream), [`Loaded image ID: ${a.id}\nLoaded image ID: ${b.id}\n`]);
  assert.equal(await inspectId(a.id), a.id);
  // Loading the same archive again changes nothing and says the same.
  assert.deepEqual((await load(await archiveOf([a, b]))).map((m) => m.stream), [`Loaded image ID: ${a.id}\nLoaded image ID: ${b.id}\n`]);
  assert.equal((await cli('rmi', a.id, b.id)).code, 0);
});

test('layers shared with an existing image are not unpacked again; blobs of the archive nothing uses are not kept', async () => {
  const blobs = () => readdirSync(path.join(d.dataRoot, 'content', 'blobs', 'sha256')).sort();
  const snaps = () => Object.keys(JSON.parse(readFileSync(path.join(d.dataRoot, 'snapshots', 'metadata.json'), 'utf8')).snapshots).sort();
  const before = { blobs: blobs(), snaps: snaps() };
  const archive = await save('busybox:latest');
  await load(archive);
  assert.deepEqual(blobs(), before.blobs, 'the manifest blob is not kept, nothing else is added');
  assert.deepEqual(snaps(), before.snaps);
});

test('save streams with backpressure: a reader that stops does not make berthd hold the archive in memory', async () => {
  const big = await tarOf([{ name: 'big.bin', data: randomBytes(96 << 20) }]);
  const img = buildImage({ layers: [big], repoTags: ['sl-stream:1'] });
  assert.deepEqual((await load(await archiveOf([img]))).map((m) => m.stream), ['Loaded image: sl-stream:1\n']);
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${d.pid}/status`, 'utf8'))![1]) * 1024;
  const before = rss();
  let total = 0;
  let paused = 0;
  await new Promise<void>((resolve, reject) => {
    const req = http.get({ socketPath: d.socket, path: '/images/sl-stream:1/get' }, (res) => {
      res.once('data', (c: Buffer) => {
        total += c.length;
        res.pause();
        // Stopped for a while: berthd may only buffer up to the socket's and its streams' limits.
        setTimeout(() => {
          paused = rss() - before;
          res.on('data', (x: Buffer) => (total += x.length));
          res.on('end', resolve);
          res.resume();
        }, 1500);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  assert.ok(total > 96 << 20, `the whole archive arrived (${total} bytes)`);
  assert.ok(paused < 48 << 20, `berthd grew by ${paused} bytes while the reader was stopped`);
  assert.equal((await cli('rmi', 'sl-stream:1')).code, 0);
});

test('a layer whose first bytes arrive in a small piece is still recognised as a tar (judged on 512 bytes)', async () => {
  const layer = await layerOf({ 'piece.txt': 'p'.repeat(5000) });
  const img = buildImage({ layers: [layer], repoTags: ['sl-piece:1'] });
  const archive = await archiveOf([img]);
  const start = archive.indexOf(layer.subarray(0, 512)); // the layer entry's data
  assert.ok(start > 0);
  const body = await new Promise<string>((resolve, reject) => {
    const req = http.request({ socketPath: d.socket, method: 'POST', path: '/images/load' }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve(text));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.write(archive.subarray(0, start + 100));
    setTimeout(() => req.end(archive.subarray(start + 100)), 500);
  });
  assert.deepEqual(messages(body).map((m) => m.stream ?? m.error), ['Loaded image: sl-piece:1\n']);
  assert.equal((await cli('rmi', 'sl-piece:1')).code, 0);
});

test('the CLI refuses a terminal: save to stdout and load from stdin, with Docker\'s messages', () => {
  // `script` gives the command a pseudo-terminal for stdin and stdout.
  const env = { ...process.env, BERTH_HOST: d.host };
  const berth = path.join(repoRoot, 'dist', 'src', 'cmd', 'berth.js');
  const saveTty = spawnSync('script', ['-qec', `${process.execPath} ${berth} save busybox`, '/dev/null'], { env, encoding: 'utf8', input: '' });
  assert.match(saveTty.stdout, /cowardly refusing to save to a terminal\. Use the -o flag or redirect/);
  assert.notEqual(saveTty.status, 0);
  const loadTty = spawnSync('script', ['-qec', `${process.execPath} ${berth} load`, '/dev/null'], { env, encoding: 'utf8', input: '' });
  assert.match(loadTty.stdout, /requested load from stdin, but stdin is empty/);
  assert.notEqual(loadTty.status, 0);
});

test('save and load publish Docker\'s image events', async () => {
  const since = Math.floor(Date.now() / 1000) - 1;
  const archive = await save('busybox:latest');
  await load(archive);
  const until = Math.ceil(Date.now() / 1000) + 1;
  const r = await apiRequest(d.socket, 'GET', `/events?since=${since}&until=${until}&filters=${encodeURIComponent('{"type":["image"]}')}`);
  const actions = messages(r.body).map((e) => `${(e as { Action?: string }).Action} ${(e as { id?: string }).id}`);
  assert.ok(actions.includes(`save ${busyboxId}`), actions.join('\n'));
  assert.ok(actions.includes(`load ${busyboxId}`), actions.join('\n'));
});

test('berth image save / image load are the same commands; load -i of a missing file says so', async () => {
  const file = path.join(d.dir, 'sub.tar');
  assert.equal((await cli('image', 'save', '--output', file, 'busybox')).code, 0);
  const r = await cli('image', 'load', '--input', file);
  assert.equal(r.stdout, 'Loaded image: busybox:latest\n');
  const missing = await cli('load', '-i', path.join(d.dir, 'nope.tar'));
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, `open ${path.join(d.dir, 'nope.tar')}: no such file or directory\n`);
  writeFileSync(path.join(d.dir, 'garbage.tar'), 'not an archive'.repeat(100));
  const garbage = await cli('load', '-i', path.join(d.dir, 'garbage.tar'));
  assert.equal(garbage.code, 1);
  assert.match(garbage.stderr, /invalid archive: not a tar archive/);
});
