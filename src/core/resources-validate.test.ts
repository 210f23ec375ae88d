import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostConfig } from '../api/types.js';
import { ociResources, ociRlimits, tmpfsMounts } from './resources-oci.js';
import { adaptHostConfig, mergeUpdate, parseUintList, verifyResources } from './resources-validate.js';

const sys = { ncpu: 2, cpus: '0-1', swapLimit: true };

test('verifyResources: Docker messages', () => {
  assert.throws(() => verifyResources({ Memory: 1024 }, sys, false), /^ResourceError: Minimum memory limit allowed is 6MB$/);
  assert.throws(() => verifyResources({ NanoCpus: -1e9 }, sys, false), /Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available/);
  assert.throws(() => verifyResources({ MemorySwap: 10e6 }, sys, false), /You should always set the Memory limit/);
  assert.doesNotThrow(() => verifyResources({ MemorySwap: 10e6 }, sys, true));
  assert.throws(() => verifyResources({ CpusetCpus: '2' }, sys, false), /Requested CPUs are not available - requested 2, available: 0-1/);
  assert.deepEqual(verifyResources({ Memory: 8 << 20 }, sys, false), []);
});

test('verifyResources: no swap accounting → warning and MemorySwap -1', () => {
  const r = { Memory: 8 << 20 };
  assert.equal(verifyResources(r, { ...sys, swapLimit: false }, false).length, 1);
  assert.equal((r as { MemorySwap?: number }).MemorySwap, -1);
});

test('adaptHostConfig: swap 2× memory, shm 64 MiB, pids 0 → null', () => {
  const h: HostConfig = { Memory: 8 << 20, PidsLimit: 0 };
  adaptHostConfig(h);
  assert.equal(h.MemorySwap, 16 << 20);
  assert.equal(h.ShmSize, 64 << 20);
  assert.equal(h.PidsLimit, null);
  assert.equal('Tmpfs' in h, false);
});

test('ociResources: --cpus → quota/period; pids; memory', () => {
  assert.deepEqual(ociResources({ NanoCpus: 5e8, Memory: 100, MemorySwap: -1, PidsLimit: 10, CpuShares: 512, CpusetCpus: '0' }), {
    memory: { limit: 100, swap: -1 },
    cpu: { shares: 512, period: 100000, quota: 50000, cpus: '0' },
    pids: { limit: 10 },
  });
  assert.deepEqual(ociResources({}), {});
  assert.deepEqual(ociResources({ PidsLimit: null }, true), { pids: { limit: -1 } });
});

test('rlimits and tmpfs mounts', () => {
  assert.deepEqual(ociRlimits({ Ulimits: [{ Name: 'nofile', Soft: 1, Hard: 2 }] }), [{ type: 'RLIMIT_NOFILE', soft: 1, hard: 2 }]);
  assert.deepEqual(tmpfsMounts({ Tmpfs: { '/tmp': '', '/run': 'size=1m,exec' } }), [
    { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['rw', 'noexec', 'nosuid', 'nodev'] },
    { destination: '/run', type: 'tmpfs', source: 'tmpfs', options: ['rw', 'nosuid', 'nodev', 'size=1m', 'exec'] },
  ]);
});

test('mergeUpdate: Docker conflicts', () => {
  const h: HostConfig = { Memory: 16 << 20, MemorySwap: 32 << 20, NanoCpus: 5e8 };
  assert.throws(() => mergeUpdate(h, { Memory: 64 << 20 }, 'x'), /Cannot update container x: Memory limit should be smaller/);
  assert.throws(() => mergeUpdate(h, { CpuQuota: 20000 }, 'x'), /CPU Quota cannot be updated as NanoCPUs has already been set/);
  mergeUpdate(h, { Memory: 24 << 20, PidsLimit: 5, RestartPolicy: { Name: 'always' } }, 'x');
  assert.equal(h.Memory, 24 << 20);
  assert.equal(h.PidsLimit, 5);
  assert.deepEqual(h.RestartPolicy, { Name: 'always', MaximumRetryCount: 0 });
});

test('parseUintList', () => {
  assert.deepEqual([...parseUintList('0-2,5')], [0, 1, 2, 5]);
  assert.throws(() => parseUintList('abc'), /invalid format: abc/);
});
