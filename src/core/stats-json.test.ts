import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyStats, rfc3339Nano, statsJson, type StatsSample } from './stats-json.js';

const sample = (over: Partial<StatsSample> = {}): StatsSample => ({
  read: new Date('2026-01-02T03:04:05.678Z'),
  v2: false,
  cpuTotal: 1000,
  percpu: [600, 400],
  cpuKernel: 0,
  cpuUser: 10_000_000,
  throttling: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  systemCpu: 5e12,
  onlineCpus: 2,
  memUsage: 4096,
  memMaxUsage: 8192,
  memFailcnt: 0,
  memLimit: 9223372036854771712,
  machineMemory: 1 << 30,
  memStat: { total_inactive_file: 1024, cache: 2048 },
  pidsCurrent: 2,
  pidsLimit: 0,
  ioServiceBytes: [],
  ioServiced: [],
  ...over,
});

test('statsJson: Docker shape, machine memory as the limit, precpu from the previous sample', () => {
  const prev = sample({ read: new Date('2026-01-02T03:04:04.5Z'), cpuTotal: 500, systemCpu: 4e12 });
  const s = statsJson('/web', 'abc', sample(), prev);
  assert.equal(s.read, '2026-01-02T03:04:05.678Z');
  assert.equal(s.preread, '2026-01-02T03:04:04.5Z');
  assert.equal(s.memory_stats.limit, 1 << 30);
  assert.equal(s.memory_stats.max_usage, 8192);
  assert.equal(s.memory_stats.failcnt, undefined);
  assert.deepEqual(Object.keys(s.memory_stats.stats!), ['cache', 'total_inactive_file']);
  assert.deepEqual(s.pids_stats, { current: 2 });
  assert.equal(s.precpu_stats.cpu_usage.total_usage, 500);
  assert.equal(s.cpu_stats.cpu_usage.percpu_usage?.length, 2);
  assert.equal(s.name, '/web');
  const first = statsJson('/web', 'abc', sample({ pidsLimit: 50, memLimit: 1000 }));
  assert.equal(first.preread, '0001-01-01T00:00:00Z');
  assert.equal(first.precpu_stats.cpu_usage.total_usage, 0);
  assert.equal(first.precpu_stats.system_cpu_usage, undefined);
  assert.equal(first.memory_stats.limit, 1000);
  assert.deepEqual(first.pids_stats, { current: 2, limit: 50 });
});

test('emptyStats and rfc3339Nano', () => {
  const e = emptyStats('/x', 'id');
  assert.equal(e.read, '0001-01-01T00:00:00Z');
  assert.deepEqual(e.memory_stats, {});
  assert.equal(rfc3339Nano(new Date('2026-01-02T03:04:05.000Z')), '2026-01-02T03:04:05Z');
  assert.equal(rfc3339Nano(new Date('2026-01-02T03:04:05.120Z')), '2026-01-02T03:04:05.12Z');
});
