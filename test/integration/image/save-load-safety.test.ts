// Bad input to load: each is refused with a message naming the image and the layer, and leaves the data
// root exactly as it was (no image record, no moved tag, no snapshot, no blob, no temp file). Layers whose
// paths or symlinks point outside the layer are confined by the unpacker.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { apiRequest, busyboxRootfs, importBusybox, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';
import { archiveOf, buildImage, hex, layerOf, listTree, messages, sha, tarOf, type Entry } from './save-load-archives.js';

let d: BerthdHandle;
let busyboxId: string;

before(async () => {
  d = await startBerthd();
  busyboxId = await importBusybox(d.socket);
});
after(async () => {
  await d?.stop();
});

async function load(archive: Buffer) {
  const r = await apiRequest(d.socket, 'POST', '/images/load', { body: archive, timeoutMs: 120_000 });
  assert.equal(r.status, 200, 'load reports failures in-band, as Docker does');
  return messages(r.body);
}

/** Loads `archive`, expects an in-band error matching `pattern`, and the data root unchanged. */
async function expectRefused(archive: Buffer, pattern: RegExp): Promise<string> {
  const before = listTree(d.dataRoot);
  const msgs = await load(archive);
  const err = msgs.find((m) => m.error || m.errorDetail);
  assert.ok(err, `expected an error, got ${JSON.stringify(msgs)}`);
  assert.equal(err.error, err.errorDetail?.message);
  assert.match(err.errorDetail!.message, pattern);
  assert.deepEqual(msgs.filter((m) => m.stream), [], 'nothing reported as loaded');
  assert.deepEqual(listTree(d.dataRoot), before, 'the data root is as it was');
  const tagged = await apiRequest(d.socket, 'GET', '/images/busybox:latest/json');
  assert.equal(JSON.parse(tagged.body.toString()).Id, busyboxId, 'busybox:latest did not move');
  return err.errorDetail!.message;
}

const image = async (tag: string, files: Record<string, string> = { 'f.txt': tag }) =>
  buildImage({ layers: [await layerOf(files)], repoTags: [tag], config: { Labels: { tag } } });

test('archive entries with ".." or an absolute path are refused', async () => {
  const img = await image('sl-bad:dotdot');
  const good = await archiveOf([img]);
  const evil = await tarOf([{ name: '../evil', data: Buffer.from('x') }]);
  await expectRefused(Buffer.concat([evil.subarray(0, evil.length - 1024), good]), /invalid archive entry "\.\.\/evil": path escapes the archive root/);
  const abs = await tarOf([{ name: '/etc/evil', data: Buffer.from('x') }]);
  await expectRefused(Buffer.concat([abs.subarray(0, abs.length - 1024), good]), /invalid archive entry "\/etc\/evil": absolute path/);
  const link = await tarOf([{ name: 'l', type: 'symlink', linkname: '../../etc/passwd' }]);
  await expectRefused(Buffer.concat([link.subarray(0, link.length - 1024), good]), /symlink "..\/..\/etc\/passwd" escapes the archive root/);
});

test('a layer whose bytes do not match its digest is refused, whether it comes after manifest.json or before', async () => {
  const img = await image('sl-bad:digest', { 'data.txt': 'A'.repeat(4000) });
  const layerEntry = img.entries[1]!;
  const corrupt = Buffer.from(layerEntry.data!);
  corrupt[corrupt.indexOf('AAAA')] = 0x42; // same size, other bytes
  const bad = { ...img, entries: [img.entries[0]!, { ...layerEntry, data: corrupt }] };
  const diffId = sha(layerEntry.data!);
  const describe = new RegExp(`^failed to load image sl-bad:digest: layer 1/1 ${diffId} \\(blobs/sha256/${hex(diffId)}\\): `);
  // Streamed straight into its snapshot: the blob's digest, checked as it is stored, catches it.
  const m1 = await expectRefused(await archiveOf([bad], 'metadata-first'), describe);
  assert.match(m1, new RegExp(`digest mismatch: expected ${diffId}, got ${sha(corrupt)}`));
  // Spooled first (Docker's order): the blob's name is its digest.
  const m2 = await expectRefused(await archiveOf([bad], 'blobs-first'), describe);
  assert.match(m2, new RegExp(`digest mismatch: expected ${diffId}, got ${sha(corrupt)}`));
});

test('a layer whose diff ID in the config is not the sha256 of its bytes is refused', async () => {
  const layer = await layerOf({ 'f.txt': 'diff id' });
  const wrong = `sha256:${'0'.repeat(64)}`;
  const img = buildImage({ layers: [layer], diffIds: [wrong], repoTags: ['sl-bad:diffid'] });
  // A plain layer is unpacked as it streams without a second hash: its blob digest stands for the diff ID.
  const m = await expectRefused(await archiveOf([img], 'metadata-first'), /^failed to load image sl-bad:diffid: layer 1\/1 /);
  assert.match(m, new RegExp(`invalid diffID: expected "${wrong}", got "${sha(layer)}"`));
});

test('a truncated archive (plain or gzip) is refused, naming the layer it was in', async () => {
  const img = await image('sl-bad:trunc', { 'big.bin': 'z'.repeat(300_000) });
  const full = await archiveOf([img]);
  const cut = full.subarray(0, full.length - 150_000);
  await expectRefused(cut, /^failed to load image sl-bad:trunc: layer 1\/1 sha256:[a-f0-9]{64} \(blobs\/sha256\/[a-f0-9]{64}\): invalid archive: unexpected end of data/);
  await expectRefused((await archiveOf([img], 'blobs-first')).subarray(0, 200_000), /invalid archive: unexpected end of data in "blobs\/sha256\/[a-f0-9]{64}"/);
  const gz = gzipSync(full);
  await expectRefused(gz.subarray(0, gz.length - 100), /invalid archive: unexpected end of file/);
});

test('an OCI layout with an unknown layer media type, or a manifest naming a missing blob, is refused', async () => {
  const img = await image('sl-bad:oci');
  const layer = img.entries[1]!.data!;
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: img.id, size: img.config.length },
      layers: [{ mediaType: 'application/vnd.example.unknown', digest: sha(layer), size: layer.length }],
    }),
  );
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: sha(manifest),
          size: manifest.length,
          annotations: { 'io.containerd.image.name': 'docker.io/library/sl-bad:oci', 'org.opencontainers.image.ref.name': 'oci' },
        },
      ],
    }),
  );
  const oci: Entry[] = [
    { name: 'oci-layout', data: Buffer.from('{"imageLayoutVersion":"1.0.0"}') },
    { name: 'index.json', data: index },
    { name: `blobs/sha256/${hex(sha(manifest))}`, data: manifest },
    ...img.entries,
  ];
  await expectRefused(await tarOf(oci), /^failed to load image sl-bad:oci: layer 1\/1 sha256:[a-f0-9]{64} .*: unknown media type "application\/vnd.example.unknown"/);
  // Docker's manifest.json naming a layer the archive does not have.
  const missing = { ...img, manifestItem: { ...img.manifestItem, Layers: [`blobs/sha256/${'0'.repeat(64)}`] } };
  await expectRefused(await archiveOf([missing]), /^failed to load image sl-bad:oci: layer 1\/1 sha256:[a-f0-9]{64} \(blobs\/sha256\/0{64}\): missing from the archive/);
  const noConfig = { ...img, entries: img.entries.slice(1) };
  await expectRefused(await archiveOf([noConfig]), /^failed to load image sl-bad:oci: config blobs\/sha256\/[a-f0-9]{64} is missing from the archive/);
  const counts = buildImage({ layers: [layer], repoTags: ['sl-bad:count'], diffIds: [sha(layer), sha('other')] });
  await expectRefused(await archiveOf([counts]), /invalid manifest, layers length mismatch: expected 1, got 2/);
});

test('all or nothing: a good image (moving busybox:latest) and a broken one load neither', async () => {
  const good = buildImage({ layers: [await layerOf({ 'good.txt': 'good' })], repoTags: ['busybox:latest', 'sl-bad:good'] });
  const broken = await image('sl-bad:broken');
  const brokenMissing = { ...broken, entries: broken.entries.slice(0, 1) };
  await expectRefused(await archiveOf([good, brokenMissing]), /^failed to load image sl-bad:broken: layer 1\/1 .*missing from the archive/);
  const r = await apiRequest(d.socket, 'GET', '/images/sl-bad:good/json');
  assert.equal(r.status, 404);
});

test('a layer entry with ".." is refused by the unpacker; input that is no archive at all is refused', async () => {
  const evilLayer = await tarOf([
    { name: 'ok.txt', data: Buffer.from('fine') },
    { name: '../../escape.txt', data: Buffer.from('escaped') },
  ]);
  const img = buildImage({ layers: [evilLayer], repoTags: ['sl-bad:layer'] });
  await expectRefused(
    await archiveOf([img]),
    /^failed to load image sl-bad:layer: layer 1\/1 .*: failed to apply layer: invalid tar entry "\.\.\/\.\.\/escape\.txt": path escapes the layer root/,
  );
  await expectRefused(await archiveOf([img], 'blobs-first'), /failed to apply layer: invalid tar entry "\.\.\/\.\.\/escape\.txt"/);
  await expectRefused(Buffer.alloc(0), /invalid archive: empty input/);
  await expectRefused(Buffer.from('this is not a tar archive'.repeat(40)), /invalid archive: not a tar archive or a gzip-compressed tar archive/);
  await expectRefused(Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.alloc(600)]), /unsupported archive compression: xz/);
  const cli = await runCli(['load'], { socket: d.socket, input: Buffer.from('garbage'.repeat(100)) });
  assert.equal(cli.code, 1);
  assert.match(cli.stderr, /^invalid archive: not a tar archive/);
});

test('symlinks in a layer that point outside it are confined: files land inside the image, never on the host', async () => {
  const hostDir = path.join(d.dir, 'host-target');
  const inside = hostDir.slice(1); // the same path, relative to the layer root
  const depth = '../'.repeat(12);
  const evil = await tarOf([
    { name: 'up', type: 'symlink', linkname: depth.slice(0, -1) },
    { name: 'abs', type: 'symlink', linkname: '/' },
    { name: `up/${inside}/via-dotdot.txt`, data: Buffer.from('dotdot') },
    { name: `abs/${inside}/via-absolute.txt`, data: Buffer.from('absolute') },
  ]);
  const base = readFileSync((await busyboxRootfs()).file);
  const img = buildImage({ layers: [base, evil], repoTags: ['sl-confined:1'] });
  const msgs = await load(await archiveOf([img]));
  assert.deepEqual(msgs.map((m) => m.stream ?? m.error), ['Loaded image: sl-confined:1\n']);
  assert.equal(existsSync(path.join(hostDir, 'via-dotdot.txt')), false);
  assert.equal(existsSync(path.join(hostDir, 'via-absolute.txt')), false);
  const run = await runCli(['run', '--rm', 'sl-confined:1', 'cat', `${hostDir}/via-dotdot.txt`, `${hostDir}/via-absolute.txt`], { socket: d.socket });
  assert.equal(run.stdout, 'dotdotabsolute', run.stderr);
  assert.equal((await runCli(['rmi', 'sl-confined:1'], { socket: d.socket })).code, 0);
});
