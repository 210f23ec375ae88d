import { test } from 'node:test';
import assert from 'node:assert/strict';
import { favordynmodsRemount, findCgroup2Mount } from './cgroup-favordynmods.js';
import { MS_NODEV, MS_NOEXEC, MS_NOSUID, MS_RELATIME, MS_REMOUNT } from './native.js';

const hybrid = [
  '25 30 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755',
  '26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate',
  '27 25 0:24 / /sys/fs/cgroup/cpu rw,relatime shared:11 - cgroup cgroup rw,cpu',
].join('\n');

test('finds the cgroup2 mount of a hybrid host, with its mount and superblock options', () => {
  assert.deepEqual(findCgroup2Mount(hybrid), {
    target: '/sys/fs/cgroup/unified',
    mountOptions: ['rw', 'nosuid', 'nodev', 'noexec', 'relatime'],
    superOptions: ['rw', 'nsdelegate'],
  });
});

test('a host with cgroup v1 only has no cgroup2 mount', () => {
  assert.equal(findCgroup2Mount(hybrid.split('\n').filter((l) => !l.includes('cgroup2')).join('\n')), undefined);
});

test('the remount repeats the mount flags and keeps the other cgroup2 options', () => {
  const { flags, data } = favordynmodsRemount(findCgroup2Mount(hybrid)!);
  assert.equal(flags, MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME);
  assert.equal(data, 'nsdelegate,favordynmods');
});

test('mountinfo octal escapes in the mount point are decoded', () => {
  const line = '26 25 0:23 / /mnt/my\\040cgroup rw shared:10 - cgroup2 cgroup2 rw';
  assert.equal(findCgroup2Mount(line)?.target, '/mnt/my cgroup');
});
