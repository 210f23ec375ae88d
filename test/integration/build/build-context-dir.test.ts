// berth's CLI with a local berthd: the context directory is read in place (POST /build?contextdir=) instead
// of sent as a tar. Both ways must index the same entries with the same hashes (they share the cache), a
// changed file must be noticed, and the remembered hashes are build cache that `builder prune` removes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, linkSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { apiRequest, importBusybox, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';
import { cachedSteps, cli, inspect, writeContext } from './build-helpers.js';

let d: BerthdHandle;

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => d?.stop());

const build = (cwd: string, mode: 'dir' | 'tar', ...args: string[]) =>
  runCli(['build', ...args, '.'], { socket: d.socket, cwd, timeoutMs: 120_000, env: mode === 'tar' ? { BERTH_BUILD_CONTEXT: 'tar' } : {} });

const hashFiles = () => readdirSync(path.join(d.dataRoot, 'builder', 'context-hashes')).filter((n) => n.endsWith('.json'));

test('a tar and the directory in place give the same context: the second build is all cache', async () => {
  const ctx = writeContext(d, {
    Dockerfile: 'FROM busybox\nCOPY . /ctx/\nRUN ls -lR /ctx | sed 1d | sort > /listing\n',
    '.dockerignore': 'secret*\n!secret-ok\nlogs/\n',
    'a.txt': 'a\n',
    'empty.txt': '',
    'sub/deep/b.txt': { data: 'b\n', mode: 0o640 },
    'sub/link': { symlink: '../a.txt' },
    'secret-no': 'hidden\n',
    'secret-ok': 'shown\n',
    'logs/x.log': 'no\n',
  });
  linkSync(path.join(ctx, 'a.txt'), path.join(ctx, 'hard.txt'));

  const tar = await build(ctx, 'tar', '-t', 'same:tar');
  assert.equal(tar.code, 0, tar.stderr);
  assert.match(tar.stdout, /^Sending build context to Docker daemon {2}\d+(\.\d+)?kB\r\r\nStep 1\/3 : FROM busybox\n/);
  const dir = await build(ctx, 'dir', '-t', 'same:dir');
  assert.equal(dir.code, 0, dir.stderr);
  assert.match(dir.stdout, /^Step 1\/3 : FROM busybox\n/, 'nothing is sent, so there is no "Sending build context" line');
  assert.deepEqual(cachedSteps(dir.stdout), [2, 3]);
  assert.equal((await inspect(d, 'same:dir')).Id, (await inspect(d, 'same:tar')).Id);

  const files = (await cli(d, 'run', '--rm', 'same:dir', 'find', '/ctx')).stdout.split('\n').filter(Boolean).sort();
  assert.deepEqual(files, [
    '/ctx', '/ctx/.dockerignore', '/ctx/Dockerfile', '/ctx/a.txt', '/ctx/empty.txt', '/ctx/hard.txt', '/ctx/secret-ok',
    '/ctx/sub', '/ctx/sub/deep', '/ctx/sub/deep/b.txt', '/ctx/sub/link',
  ]);
});

test('a changed file is noticed at once, even rewritten within the same second with the same size', async () => {
  const ctx = writeContext(d, { Dockerfile: 'FROM busybox\nCOPY f.txt /f.txt\nRUN cat /f.txt > /g.txt\n', 'f.txt': 'one\n' });
  assert.equal((await build(ctx, 'dir', '-t', 'changes')).code, 0);
  const again = await build(ctx, 'dir', '-t', 'changes');
  assert.deepEqual(cachedSteps(again.stdout), [2, 3]);
  writeFileSync(path.join(ctx, 'f.txt'), 'two\n');
  const changed = await build(ctx, 'dir', '-t', 'changes');
  assert.equal(changed.code, 0, changed.stderr);
  assert.deepEqual(cachedSteps(changed.stdout), [], 'the COPY and everything after it ran again');
  assert.equal((await cli(d, 'run', '--rm', 'changes', 'cat', '/g.txt')).stdout, 'two\n');
});

test('an unchanged file is not read again: its hash is remembered, by inode and times', async () => {
  const ctx = writeContext(d, { Dockerfile: 'FROM busybox\nCOPY big.bin /big.bin\n', 'big.bin': 'x'.repeat(1 << 16) });
  // Older than the one-second window in which a file is not remembered.
  const old = new Date(Date.now() - 10_000);
  utimesSync(path.join(ctx, 'big.bin'), old, old);
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal((await build(ctx, 'dir', '-t', 'remembered')).code, 0);
  const remembered = hashFiles().map((f) => JSON.parse(readFileSync(path.join(d.dataRoot, 'builder', 'context-hashes', f), 'utf8')));
  assert.ok(remembered.some((m: Record<string, { hash: string }>) => /^[0-9a-f]{64}$/.test(m['big.bin']?.hash ?? '')));
});

test('contextdir: a relative or missing path is refused with 400', async () => {
  const rel = await apiRequest(d.socket, 'POST', '/build?contextdir=relative/dir');
  assert.equal(rel.status, 400);
  assert.equal(JSON.parse(rel.body.toString()).message, 'contextdir must be an absolute path: relative/dir');
  const missing = await apiRequest(d.socket, 'POST', `/build?contextdir=${encodeURIComponent(path.join(d.dir, 'nope'))}`);
  assert.equal(missing.status, 400);
  assert.match(JSON.parse(missing.body.toString()).message, /^unable to prepare context: path ".*\/nope" not found$/);
});

test('the remembered hashes are build cache: builder prune removes them', async () => {
  assert.ok(hashFiles().length > 0);
  const r = await cli(d, 'builder', 'prune', '-f');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\ncontext-hashes\n/);
  assert.equal(existsSync(path.join(d.dataRoot, 'builder', 'context-hashes')), false);
});
