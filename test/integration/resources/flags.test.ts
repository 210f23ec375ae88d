// The resource flags' value syntax (docker/cli opts): CPUs, swap, ulimits, and how they become HostConfig.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyResourceFlags, parseCpus, parseMemorySwap, parseUlimit, RESOURCE_FLAGS } from '../../../src/cli/commands/container/resource-options.js';
import { parseFlags } from '../../../src/cli/flags.js';
import type { CreateRequest } from '../../../src/api/types.js';

test('parseCpus', () => {
  assert.equal(parseCpus('0.5'), 5e8);
  assert.equal(parseCpus('2'), 2e9);
  assert.equal(parseCpus('.25'), 25e7);
  assert.equal(parseCpus('1e-3'), 1e6);
  assert.equal(parseCpus('-1'), -1e9);
  assert.throws(() => parseCpus('abc'), /failed to parse abc as a rational number/);
  assert.throws(() => parseCpus('0.0000000001'), /value is too precise/);
});

test('parseMemorySwap and parseUlimit', () => {
  assert.equal(parseMemorySwap('-1'), -1);
  assert.equal(parseMemorySwap('1g'), 1 << 30);
  assert.deepEqual(parseUlimit('nofile=1024:2048'), { Name: 'nofile', Hard: 2048, Soft: 1024 });
  assert.deepEqual(parseUlimit('nproc=10'), { Name: 'nproc', Hard: 10, Soft: 10 });
  assert.throws(() => parseUlimit('nofile'), /invalid ulimit argument: nofile/);
  assert.throws(() => parseUlimit('nofile=1:2:3'), /too many limit value arguments/);
  assert.throws(() => parseUlimit('nofile=abc'), /strconv.ParseInt: parsing "abc": invalid syntax/);
});

test('flags → HostConfig', () => {
  const p = parseFlags(RESOURCE_FLAGS, ['-m', '8m', '--cpus', '1.5', '--pids-limit', '10', '--ulimit', 'nofile=1:2', '--ulimit', 'nofile=3:4',
    '--tmpfs', '/tmp', '--tmpfs', '/run:size=1m', '--shm-size', '1g', '--memory-swap', '-1']);
  const req: CreateRequest = { Image: 'busybox', HostConfig: {} };
  applyResourceFlags(req, p.values, p.changed);
  const h = req.HostConfig!;
  assert.equal(h.Memory, 8 << 20);
  assert.equal(h.MemorySwap, -1);
  assert.equal(h.NanoCpus, 15e8);
  assert.equal(h.PidsLimit, 10);
  assert.equal(h.ShmSize, 1 << 30);
  assert.deepEqual(h.Ulimits, [{ Name: 'nofile', Hard: 4, Soft: 3 }]);
  assert.deepEqual(h.Tmpfs, { '/tmp': '', '/run': 'size=1m' });
  const none = parseFlags(RESOURCE_FLAGS, []);
  const req2: CreateRequest = { Image: 'busybox', HostConfig: {} };
  applyResourceFlags(req2, none.values, none.changed);
  assert.equal('PidsLimit' in req2.HostConfig!, false);
  assert.equal('Tmpfs' in req2.HostConfig!, false);
});
