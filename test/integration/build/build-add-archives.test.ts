// ADD extracts bzip2, xz and zstd compressed tar archives from the context, as Docker's classic builder
// does (DetectCompression by magic bytes, then one tar header): the archives are made here with the
// system tar, bzip2, xz and zstd. A compressed file that is no tar is copied as it is; an archive that
// breaks off in the middle fails the step, naming the file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { importBusybox, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';
import { build, buildOk, cli, leftovers, writeContext } from './build-helpers.js';

let d: BerthdHandle;

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => {
  await d?.stop();
});

/** A tar of a small tree (a file and a subdirectory with a file) at `dir/name`, made by the system tar. */
function makeTar(dir: string, name: string, files: Record<string, string | Buffer>): string {
  const tree = path.join(dir, `${name}-tree`);
  for (const [rel, data] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
    writeFileSync(path.join(tree, rel), data);
  }
  const out = path.join(dir, name);
  execFileSync('tar', ['-C', tree, '-cf', out, '.']);
  execFileSync('rm', ['-rf', tree]);
  return out;
}

/** `tool -c file` into `dest` (bzip2, xz and zstd all write to stdout with -c). */
function compress(tool: 'bzip2' | 'xz' | 'zstd', file: string, dest: string): void {
  writeFileSync(dest, execFileSync(tool, ['-c', ...(tool === 'zstd' ? ['-q'] : []), file], { maxBuffer: 64 << 20 }));
}

test('ADD extracts .tar.bz2, .tar.xz and .tar.zst into the destination; a compressed non-tar is copied as it is', async () => {
  const ctx = writeContext(d, {
    Dockerfile: [
      'FROM busybox',
      'ADD a.tar.bz2 /bz/',
      'ADD a.tar.xz /xz/',
      'ADD a.tar.zst /zst/',
      'ADD notes.bz2 /plain/',
      'ADD magic-only.xz /plain/',
      '',
    ].join('\n'),
  });
  const tarFile = makeTar(ctx, 'a.tar', { 'top.txt': 'top file\n', 'sub/inner.txt': 'inner file\n' });
  compress('bzip2', tarFile, `${ctx}/a.tar.bz2`);
  compress('xz', tarFile, `${ctx}/a.tar.xz`);
  compress('zstd', tarFile, `${ctx}/a.tar.zst`);
  execFileSync('rm', [tarFile]);
  writeFileSync(`${ctx}/notes`, 'just some notes, not a tar\n'.repeat(40));
  compress('bzip2', `${ctx}/notes`, `${ctx}/notes.bz2`);
  execFileSync('rm', [`${ctx}/notes`]);
  // xz's magic and nothing decodable after it: Docker's isArchivePath says "no archive", so a copy.
  const magicOnly = Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), Buffer.from('garbage, not xz data')]);
  writeFileSync(`${ctx}/magic-only.xz`, magicOnly);

  await buildOk(d, ctx, '-t', 'add-archives');
  const r = await cli(d, 'run', '--rm', 'add-archives', 'sh', '-c', [
    'for d in bz xz zst; do cat /$d/top.txt /$d/sub/inner.txt; ls -A /$d | tr "\\n" " "; echo; done',
    'ls -A /plain | tr "\\n" " "; echo',
    'bzip2 -dc /plain/notes.bz2 | head -n 1',
    'od -An -tx1 -N6 /plain/magic-only.xz',
  ].join('; '));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    r.stdout,
    [
      'top file', 'inner file', 'sub top.txt ',
      'top file', 'inner file', 'sub top.txt ',
      'top file', 'inner file', 'sub top.txt ',
      'magic-only.xz notes.bz2 ',
      'just some notes, not a tar',
      ' fd 37 7a 58 5a 00',
      '',
    ].join('\n'),
  );
  // The non-tar files are the context's bytes, unchanged.
  const saved = await cli(d, 'run', '--rm', 'add-archives', 'sh', '-c', 'cat /plain/magic-only.xz | md5sum; cat /plain/notes.bz2 | md5sum');
  const md5 = (f: string) => execFileSync('md5sum', [f]).toString().split(' ')[0];
  assert.equal(saved.stdout, `${md5(`${ctx}/magic-only.xz`)}  -\n${md5(`${ctx}/notes.bz2`)}  -\n`);
  assert.equal((await cli(d, 'rmi', 'add-archives')).code, 0);
});

test('a .tar.xz that turns to garbage half-way fails the build, naming the file, and leaves nothing behind', async () => {
  const ctx = writeContext(d, { Dockerfile: 'FROM busybox\nADD broken.tar.xz /x/\nRUN echo never\n' });
  // Random (incompressible) contents, so that the first half of the .xz decodes into whole tar headers.
  const tarFile = makeTar(ctx, 'broken.tar', { 'big.bin': randomBytes(256 * 1024), 'sub/small.txt': 'small\n' });
  compress('xz', tarFile, `${ctx}/good.tar.xz`);
  execFileSync('rm', [tarFile]);
  const good = readFileSync(`${ctx}/good.tar.xz`);
  execFileSync('rm', [`${ctx}/good.tar.xz`]);
  writeFileSync(`${ctx}/broken.tar.xz`, Buffer.concat([good.subarray(0, good.length >> 1), randomBytes(4096)]));

  const before = await leftovers(d);
  const r = await build(d, ctx, '-t', 'add-broken');
  assert.notEqual(r.code, 0, r.stdout);
  assert.match(r.stderr, /failed to decompress broken\.tar\.xz: xz: \(stdin\): (Compressed data is corrupt|Unexpected end of input)/);
  assert.doesNotMatch(r.stdout, /Step 3\/3/);
  assert.equal((await cli(d, 'ps', '-a', '-q')).stdout, '');
  assert.deepEqual(await leftovers(d), before);
  assert.notEqual((await cli(d, 'image', 'inspect', 'add-broken')).code, 0);
});
