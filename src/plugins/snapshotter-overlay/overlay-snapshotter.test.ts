import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs, existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import tar from 'tar-stream';
import { OverlaySnapshotter } from './overlay-snapshotter.js';
import { chainIds, sha256 } from '../../oci/digest.js';
import { kindOf } from '../../errdefs/errors.js';
import { mountAll, unmount, isMounted } from '../../host/mount.js';
import { native } from '../../host/native.js';
import { execFileSync } from 'node:child_process';

const EXT4_MAGIC = 0xef53;

type EntrySpec = { name: string; type?: string; data?: string; linkname?: string; mode?: number; uid?: number; gid?: number; devmajor?: number; devminor?: number; mtime?: Date };

async function makeTar(entries: EntrySpec[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) {
    const { data, ...header } = e;
    pack.entry(header as Parameters<typeof pack.entry>[0], data ?? '');
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

const roots: string[] = [];
const mounts: string[] = [];
async function tempDir(prefix = 'berth-snap-'): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  roots.push(dir);
  return dir;
}
after(async () => {
  for (const m of mounts) unmount(m);
  for (const r of roots) await fs.rm(r, { recursive: true, force: true });
});

const exists = (p: string) => fs.lstat(p).then(() => true, () => false);
async function numericDirs(root: string): Promise<string[]> {
  return (await fs.readdir(root)).filter((n) => /^\d+$/.test(n));
}

const base: EntrySpec[] = [
  { name: 'etc/', type: 'directory', mode: 0o755 },
  { name: 'etc/hosts', data: '127.0.0.1 localhost\n', mode: 0o644, uid: 1000, gid: 1001, mtime: new Date(1_600_000_000_000) },
  { name: 'etc/hosts2', type: 'link', linkname: 'etc/hosts' },
  { name: 'bin/sh', data: '#!fake', mode: 0o4755 },
  { name: 'link', type: 'symlink', linkname: '/etc/hosts' },
  { name: 'data/', type: 'directory', mode: 0o750 },
  { name: 'data/a', data: 'a' },
  { name: 'data/b', data: 'b' },
  { name: 'keep.txt', data: 'doomed' },
  { name: 'fifo', type: 'fifo', mode: 0o600 },
  { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666 },
];
const top: EntrySpec[] = [
  { name: '.wh.keep.txt' },
  { name: 'data/', type: 'directory', mode: 0o750 },
  { name: 'data/.wh..wh..opq' },
  { name: 'data/c', data: 'c' },
  { name: 'new.txt', data: 'new' },
];

test('applies layers with whiteouts and an opaque dir; the mounted overlay shows the merged view', async () => {
  const root = await tempDir();
  const snap = new OverlaySnapshotter(path.join(root, 'snapshots'));
  const t1 = await makeTar(base);
  const t2 = await makeTar(top);
  const [c1, c2] = chainIds([sha256(t1), sha256(t2)]);

  const r1 = await snap.applyLayer(c1, undefined, Readable.from([t1.subarray(0, 700), t1.subarray(700)]));
  assert.equal(r1.diffId, sha256(t1));
  assert.equal(r1.size, '127.0.0.1 localhost\n'.length + '#!fake'.length + '/etc/hosts'.length + 2 + 'doomed'.length);
  const r2 = await snap.applyLayer(c2, c1, Readable.from([t2]));
  assert.equal(r2.diffId, sha256(t2));
  assert.deepEqual(await snap.stat(c2), { key: c2, parent: c1, kind: 'committed', size: 4, created: (await snap.stat(c2))!.created });

  // On disk, in overlay form.
  const [d1, d2] = await numericDirs(snap.paths.root);
  const upper = snap.paths.fs(Number(d2));
  const wh = await fs.lstat(path.join(upper, 'keep.txt'));
  assert.ok(wh.isCharacterDevice());
  assert.equal(wh.rdev, 0);
  assert.equal(native().lgetxattr(path.join(upper, 'data'), 'trusted.overlay.opaque'), 'y');
  const lower = snap.paths.fs(Number(d1));
  const hosts = await fs.stat(path.join(lower, 'etc/hosts'));
  assert.equal(hosts.uid, 1000);
  assert.equal(hosts.gid, 1001);
  assert.equal(hosts.mtimeMs, 1_600_000_000_000);
  assert.equal(hosts.ino, (await fs.stat(path.join(lower, 'etc/hosts2'))).ino);
  assert.equal((await fs.stat(path.join(lower, 'bin/sh'))).mode & 0o7777, 0o4755);
  assert.equal((await fs.stat(path.join(lower, 'data'))).mode & 0o7777, 0o750);
  assert.equal(await fs.readlink(path.join(lower, 'link')), '/etc/hosts');
  assert.ok((await fs.lstat(path.join(lower, 'fifo'))).isFIFO());
  const dev = await fs.lstat(path.join(lower, 'dev/null'));
  assert.ok(dev.isCharacterDevice());
  assert.equal(dev.rdev, (1 << 8) | 3);

  // A container's writable snapshot, really mounted.
  const mountsFor = await snap.prepare('ctr1', c2);
  assert.equal(mountsFor.length, 1);
  assert.equal(mountsFor[0].type, 'overlay');
  assert.deepEqual(mountsFor[0].options.slice(0, 3), [
    `lowerdir=${upper}:${lower}`,
    `upperdir=${snap.paths.fs(3)}`,
    `workdir=${snap.paths.work(3)}`,
  ]);
  assert.deepEqual(mountsFor[0].options.slice(3), existsSync('/sys/module/overlay/parameters/index') ? ['index=off'] : []);
  const target = await tempDir('berth-merged-');
  mountAll(mountsFor, target);
  mounts.push(target);
  try {
    assert.ok(isMounted(target));
    assert.equal(await exists(path.join(target, 'keep.txt')), false, 'whited-out file is hidden');
    assert.deepEqual((await fs.readdir(path.join(target, 'data'))).sort(), ['c'], 'opaque dir hides lower entries');
    assert.equal(await fs.readFile(path.join(target, 'etc/hosts'), 'utf8'), '127.0.0.1 localhost\n');
    assert.equal(await fs.readFile(path.join(target, 'new.txt'), 'utf8'), 'new');
    await fs.writeFile(path.join(target, 'written'), 'x'.repeat(100));
  } finally {
    unmount(target);
  }
  assert.equal(isMounted(target), false);
  assert.equal(await snap.usage('ctr1'), 100);
  assert.equal((await snap.stat('ctr1'))?.kind, 'active');

  // Parents cannot go while children exist.
  await assert.rejects(snap.remove(c2), (e) => kindOf(e) === 'Conflict');
  await snap.remove('ctr1');
  await snap.remove(c2);
  await snap.remove(c1);
  await snap.settled();
  assert.deepEqual(await numericDirs(snap.paths.root), []);
  assert.deepEqual(await snap.list(), []);
});

test('on ext4 the snapshots directory is a top directory (chattr +T), so new snapshots spread over block groups', async (t) => {
  const root = await tempDir();
  if ((await fs.statfs(root)).type !== EXT4_MAGIC) return t.skip('the temp directory is not on ext2/3/4');
  const snap = new OverlaySnapshotter(path.join(root, 'snapshots'));
  await snap.list(); // initialises the directory
  const attrs = execFileSync('lsattr', ['-d', snap.paths.root], { encoding: 'utf8' }).split(' ')[0];
  assert.match(attrs, /T/, `lsattr shows ${attrs}`);
  // Idempotent: a second start keeps it and does not fail.
  await new OverlaySnapshotter(snap.paths.root).list();
  assert.equal(native().setTopdir(snap.paths.root), true);
});

test('a committed snapshot mounts read-only as a view', async () => {
  const root = await tempDir();
  const snap = new OverlaySnapshotter(path.join(root, 'snapshots'));
  const t1 = await makeTar([{ name: 'hello', data: 'world' }]);
  await snap.applyLayer('L', undefined, Readable.from([t1]));
  const m = await snap.mounts('L');
  assert.deepEqual(m[0].options, [`lowerdir=${snap.paths.fs(1)}:${snap.paths.empty}`]);
  const target = await tempDir('berth-view-');
  mountAll(m, target);
  mounts.push(target);
  try {
    assert.equal(await fs.readFile(path.join(target, 'hello'), 'utf8'), 'world');
    await assert.rejects(fs.writeFile(path.join(target, 'x'), 'y'), /EROFS/);
  } finally {
    unmount(target);
  }
  // A base container snapshot uses the empty lowerdir.
  const active = await snap.prepare('c0', undefined);
  assert.equal(active[0].options[0], `lowerdir=${snap.paths.empty}`);
});

test('a ../ entry is refused and nothing is left behind', async () => {
  const root = await tempDir();
  const snap = new OverlaySnapshotter(path.join(root, 'snapshots'));
  const evil = await makeTar([{ name: 'ok', data: 'ok' }, { name: '../escape.txt', data: 'pwned' }]);
  await assert.rejects(snap.applyLayer('E', undefined, Readable.from([evil])), (err: Error) => {
    assert.equal(kindOf(err), 'InvalidArgument');
    assert.match(err.message, /"\.\.\/escape\.txt": path escapes the layer root/);
    return true;
  });
  assert.equal(await exists(path.join(root, 'snapshots', 'escape.txt')), false);
  assert.equal(await exists(path.join(root, 'escape.txt')), false);
  assert.deepEqual(await numericDirs(snap.paths.root), []);
  assert.equal(await snap.stat('E'), undefined);

  const hardlink = await makeTar([{ name: 'h', type: 'link', linkname: '../../etc/passwd' }]);
  await assert.rejects(snap.applyLayer('H', undefined, Readable.from([hardlink])), /hardlink target .* escapes/);
  assert.deepEqual(await numericDirs(snap.paths.root), []);
});

test('writes through an absolute or climbing symlink stay inside the layer', async () => {
  const root = await tempDir();
  const outside = await tempDir('berth-outside-');
  const snap = new OverlaySnapshotter(path.join(root, 'snapshots'));
  const t = await makeTar([
    { name: 'abs', type: 'symlink', linkname: outside },
    { name: 'abs/pwned', data: 'x' },
    { name: 'up', type: 'symlink', linkname: '../../../../../..' + outside },
    { name: 'up/pwned2', data: 'y' },
  ]);
  await snap.applyLayer('S', undefined, Readable.from([t]));
  assert.deepEqual(await fs.readdir(outside), []);
  const layer = snap.paths.fs(1);
  assert.equal(await fs.readFile(path.join(layer, outside, 'pwned'), 'utf8'), 'x');
  assert.equal(await fs.readFile(path.join(layer, outside, 'pwned2'), 'utf8'), 'y');
});

test('a corrupt or truncated tar fails with InvalidArgument and leaves nothing', async () => {
  const root = await tempDir();
  const snap = new OverlaySnapshotter(path.join(root, 'snapshots'));
  const good = await makeTar([{ name: 'big', data: 'z'.repeat(5000) }, { name: 'after', data: 'a' }]);
  await assert.rejects(snap.applyLayer('T', undefined, Readable.from([good.subarray(0, 2000)])), (err: Error) => {
    assert.equal(kindOf(err), 'InvalidArgument');
    assert.match(err.message, /failed to apply layer: Unexpected end of data/);
    return true;
  });
  const garbage = Buffer.alloc(1024, 0x41);
  await assert.rejects(snap.applyLayer('G', undefined, Readable.from([garbage])), /failed to apply layer: Invalid tar header/);
  const failing = new Readable({ read() { this.destroy(new Error('connection reset')); } });
  await assert.rejects(snap.applyLayer('F', undefined, failing), /connection reset/);
  assert.deepEqual(await numericDirs(snap.paths.root), []);
  assert.deepEqual(await snap.list(), []);
});

test('a shared base layer is stored once', async () => {
  const root = await tempDir();
  const snap = new OverlaySnapshotter(path.join(root, 'snapshots'));
  const t = await makeTar([{ name: 'base', data: 'b' }]);
  const key = sha256(t);
  const [a, b] = await Promise.all([
    snap.applyLayer(key, undefined, Readable.from([t])),
    snap.applyLayer(key, undefined, Readable.from([t])),
  ]);
  const c = await snap.applyLayer(key, undefined, Readable.from([t]));
  assert.equal(a.diffId, key);
  assert.deepEqual(b, a);
  assert.deepEqual(c, a);
  assert.equal((await numericDirs(snap.paths.root)).length, 1);
  assert.equal((await snap.list()).length, 1);
});

test('a restart removes directories a crash left unreferenced', async () => {
  const root = await tempDir();
  const dir = path.join(root, 'snapshots');
  const snap = new OverlaySnapshotter(dir);
  await snap.applyLayer('K', undefined, Readable.from([await makeTar([{ name: 'f', data: 'f' }])]));
  await fs.mkdir(path.join(dir, '7', 'fs'), { recursive: true });
  await fs.writeFile(path.join(dir, '7', 'fs', 'half'), 'half-unpacked');
  const again = new OverlaySnapshotter(dir);
  assert.equal((await again.list()).length, 1);
  assert.deepEqual(await numericDirs(dir), ['1']);
  // New ids never collide with the surviving one.
  await again.prepare('c', 'K');
  assert.deepEqual((await numericDirs(dir)).sort(), ['1', '2']);
});

test('a layer stream destroyed before or while it is read fails instead of hanging', async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'snap-cut-'));
  try {
    const s = new OverlaySnapshotter(root);
    const early = new Readable({ read() {} });
    early.destroy();
    await assert.rejects(s.applyLayer('sha256:' + 'a'.repeat(64), undefined, early), /ended early/);
    const midway = new Readable({ read() {} });
    midway.push(Buffer.alloc(100));
    setTimeout(() => midway.destroy(), 50);
    await assert.rejects(s.applyLayer('sha256:' + 'b'.repeat(64), undefined, midway), /ended early/);
    assert.deepEqual(await s.list(), []);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
});

test('a layer once mounted volatile (a --rm container) mounts again, its files kept', async () => {
  const root = await tempDir();
  const snap = new OverlaySnapshotter(path.join(root, 'snapshots'));
  const target = await tempDir('berth-volatile-');
  const volatile = (await snap.prepare('rm', undefined)).map((m) => ({ ...m, options: [...m.options, 'volatile'] }));
  mountAll(volatile, target);
  mounts.push(target);
  await fs.writeFile(path.join(target, 'kept'), 'yes');
  unmount(target);
  // Overlay leaves work/work/incompat/volatile behind and refuses the next mount while it is there.
  assert.ok(existsSync(path.join(snap.paths.work(1), 'work', 'incompat', 'volatile')));
  mountAll(await snap.mounts('rm'), target);
  try {
    assert.equal(await fs.readFile(path.join(target, 'kept'), 'utf8'), 'yes');
  } finally {
    unmount(target);
  }
});
