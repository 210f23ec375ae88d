import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePathStat, encodePathStat, goFileMode, goModeIsDir } from './fs-changes.js';

test('goFileMode matches Go os.FileMode bits', () => {
  assert.equal(goFileMode(0o040755), 2147484141); // ModeDir|0755
  assert.equal(goFileMode(0o120777), 134218239); // ModeSymlink|0777
  assert.equal(goFileMode(0o100644), 0o644);
  assert.equal(goFileMode(0o104755), 0o755 + 2 ** 23); // setuid
  assert.ok(goModeIsDir(goFileMode(0o040700)));
  assert.ok(!goModeIsDir(goFileMode(0o100700)));
});

test('path stat header round-trips', () => {
  const s = { name: 'f', size: 3, mode: 420, mtime: '2026-01-01T00:00:00Z', linkTarget: '' };
  assert.deepEqual(decodePathStat(encodePathStat(s)), s);
});
