import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readCgroupSample } from './cgroup-stats.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cgroup-test-'));
  for (const [f, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), content);
  }
  return root;
}

test('cgroup v2 counters in Docker units', async () => {
  const root = tree({
    'berth/c1/cpu.stat': 'usage_usec 2500\nuser_usec 2000\nsystem_usec 500\nnr_periods 4\nnr_throttled 1\nthrottled_usec 7\n',
    'berth/c1/memory.current': '1048576\n',
    'berth/c1/memory.max': 'max\n',
    'berth/c1/memory.stat': 'anon 4096\nfile 8192\ninactive_file 4096\n',
    'berth/c1/pids.current': '3\n',
    'berth/c1/pids.max': '100\n',
    'berth/c1/io.stat': '8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n',
  });
  try {
    const s = await readCgroupSample('c1', true, root);
    assert.ok(s);
    assert.equal(s.v2, true);
    assert.equal(s.cpuTotal, 2_500_000);
    assert.equal(s.cpuUser, 2_000_000);
    assert.equal(s.cpuKernel, 500_000);
    assert.deepEqual(s.throttling, { periods: 4, throttled_periods: 1, throttled_time: 7000 });
    assert.equal(s.memUsage, 1048576);
    assert.equal(s.memLimit, Number.MAX_SAFE_INTEGER);
    assert.deepEqual(s.memStat, { anon: 4096, file: 8192, inactive_file: 4096 });
    assert.equal(s.pidsCurrent, 3);
    assert.equal(s.pidsLimit, 100);
    assert.deepEqual(s.ioServiceBytes, [
      { major: 8, minor: 0, op: 'read', value: 4096 },
      { major: 8, minor: 0, op: 'write', value: 8192 },
    ]);
    assert.ok(s.systemCpu > 0);
    assert.equal(await readCgroupSample('missing', true, root), undefined);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('cgroup v1 counters in Docker units', async () => {
  const root = tree({
    'cpuacct/berth/c1/cpuacct.usage': '123456789\n',
    'cpuacct/berth/c1/cpuacct.usage_percpu': '100000000 23456789 \n',
    'cpuacct/berth/c1/cpuacct.stat': 'user 7\nsystem 3\n',
    'cpu/berth/c1/cpu.stat': 'nr_periods 0\nnr_throttled 0\nthrottled_time 0\n',
    'memory/berth/c1/memory.usage_in_bytes': '2000000\n',
    'memory/berth/c1/memory.max_usage_in_bytes': '3000000\n',
    'memory/berth/c1/memory.failcnt': '0\n',
    'memory/berth/c1/memory.limit_in_bytes': '9223372036854771712\n',
    'memory/berth/c1/memory.stat': 'cache 100\ntotal_inactive_file 500000\n',
    'pids/berth/c1/pids.current': '2\n',
    'pids/berth/c1/pids.max': 'max\n',
    'blkio/berth/c1/blkio.io_service_bytes_recursive': '',
    'blkio/berth/c1/blkio.throttle.io_service_bytes': '8:0 Read 4096\n8:0 Write 0\nTotal 4096\n',
  });
  try {
    const s = await readCgroupSample('c1', false, root);
    assert.ok(s);
    assert.equal(s.cpuTotal, 123456789);
    assert.deepEqual(s.percpu, [100000000, 23456789]);
    assert.equal(s.cpuUser, 70_000_000);
    assert.equal(s.cpuKernel, 30_000_000);
    assert.equal(s.memUsage, 2000000);
    assert.equal(s.memMaxUsage, 3000000);
    assert.equal(s.pidsLimit, 0);
    assert.deepEqual(s.ioServiceBytes, [
      { major: 8, minor: 0, op: 'Read', value: 4096 },
      { major: 8, minor: 0, op: 'Write', value: 0 },
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
