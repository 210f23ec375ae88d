import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuPercent, memUsageNoCache, statsEntry, statsRow } from './stats.js';

test('CPU % as the docker CLI computes it', () => {
  const v = {
    cpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 20_000_000_000, online_cpus: 2 },
    precpu_stats: { cpu_usage: { total_usage: 1_000_000_000 }, system_cpu_usage: 10_000_000_000 },
  };
  assert.equal(cpuPercent(v), 20);
  assert.equal(cpuPercent({ ...v, precpu_stats: v.cpu_stats }), 0);
});

test('memory usage without inactive file pages (v1 and v2)', () => {
  assert.equal(memUsageNoCache({ usage: 1000, stats: { total_inactive_file: 300 } }), 700);
  assert.equal(memUsageNoCache({ usage: 1000, stats: { inactive_file: 100 } }), 900);
  assert.equal(memUsageNoCache({ usage: 1000, stats: { total_inactive_file: 3000 } }), 1000);
});

test('row fields as docker prints them', () => {
  const e = statsEntry('web', {
    name: '/web', id: '0123456789abcdef',
    memory_stats: { usage: 2 * 1024 * 1024, limit: 4 * 1024 * 1024, stats: { total_inactive_file: 1024 * 1024 } },
    blkio_stats: { io_service_bytes_recursive: [{ op: 'Read', value: 4096 }, { op: 'write', value: 1000 }, { op: 'Total', value: 5096 }] },
    pids_stats: { current: 3 },
  });
  assert.deepEqual(statsRow(e, true), {
    Container: 'web', Name: 'web', ID: '0123456789ab', CPUPerc: '0.00%', MemUsage: '1MiB / 4MiB', MemPerc: '25.00%',
    NetIO: '0B / 0B', BlockIO: '4.1kB / 1kB', PIDs: '3',
  });
});
