import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { containerPathOf, resolveInRoot } from './container-root-resolve.js';

test('resolveInRoot keeps ".." and symlinks inside the root', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'berth-resolve-'));
  try {
    mkdirSync(path.join(root, 'etc/sub'), { recursive: true });
    symlinkSync('/etc', path.join(root, 'abs'));
    symlinkSync('../../../../../../etc', path.join(root, 'etc/sub/rel'));
    symlinkSync('/../../..', path.join(root, 'up'));
    symlinkSync('loop2', path.join(root, 'loop1'));
    symlinkSync('loop1', path.join(root, 'loop2'));
    assert.equal(resolveInRoot(root, '/../../../etc'), path.join(root, 'etc'));
    assert.equal(resolveInRoot(root, '/abs/passwd'), path.join(root, 'etc/passwd'));
    assert.equal(resolveInRoot(root, '/etc/sub/rel/x'), path.join(root, 'etc/x'));
    assert.equal(resolveInRoot(root, '/up/tmp'), path.join(root, 'tmp'));
    assert.equal(resolveInRoot(root, '/abs', { followLast: false }), path.join(root, 'abs'));
    assert.equal(resolveInRoot(root, '/missing/../etc'), path.join(root, 'etc'));
    assert.throws(() => resolveInRoot(root, '/loop1/x'), /too many levels of symbolic links/);
    assert.equal(resolveInRoot(root, '/new/dir/file', { create: true }), path.join(root, 'new/dir/file'));
    assert.equal(containerPathOf(root, path.join(root, 'etc/x')), '/etc/x');
    assert.throws(() => containerPathOf(root, '/elsewhere'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
