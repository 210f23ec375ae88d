// Resource limits: set at create, visible in inspect and in the container's cgroup, enforced, and
// changeable with `update`; invalid values are refused before anything is created.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { cgroupOomKilled } from '../../../src/host/oom.js';
import { importBusybox, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';

let d: BerthdHandle;
const cli = (...args: string[]) => runCli(args, { socket: d.socket, timeoutMs: 60_000 });
const V1 = existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes');

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => d?.stop());

async function inspect(ref: string, format: string): Promise<string> {
  const r = await cli('inspect', '--format', format, ref);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

test('--memory: inspect and the cgroup show the limit; swap defaults to twice the memory', async () => {
  const r = await cli('run', '--name', 'mem', '--memory', '32m', 'busybox', 'sh', '-c',
    V1 ? 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes' : 'cat /sys/fs/cgroup/memory.max');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], String(32 * 1024 * 1024));
  if (V1 && lines[1]) assert.equal(lines[1], String(64 * 1024 * 1024));
  assert.equal(await inspect('mem', '{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.ShmSize}}'), `${32 * 1024 * 1024} ${64 * 1024 * 1024} ${64 * 1024 * 1024}`);
  await cli('rm', 'mem');
});

test('--cpus 0.5 → quota 50000 / period 100000; --cpu-shares; --cpuset-cpus; --pids-limit', async () => {
  const r = await cli('run', '--name', 'cpu', '--cpus', '0.5', '--cpu-shares', '512', '--cpuset-cpus', '0', '--pids-limit', '10', 'busybox', 'sh', '-c',
    V1
      ? 'cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/cpu/cpu.shares /sys/fs/cgroup/cpuset/cpuset.cpus /sys/fs/cgroup/pids/pids.max'
      : 'cat /sys/fs/cgroup/cpu.max /sys/fs/cgroup/cpuset.cpus /sys/fs/cgroup/pids.max');
  assert.equal(r.code, 0, r.stderr);
  if (V1) assert.deepEqual(r.stdout.trim().split('\n'), ['50000', '100000', '512', '0', '10']);
  else assert.match(r.stdout, /^50000 100000\n0\n10\n$/);
  assert.equal(await inspect('cpu', '{{.HostConfig.NanoCpus}} {{.HostConfig.CpuShares}} {{.HostConfig.CpusetCpus}} {{.HostConfig.PidsLimit}}'), '500000000 512 0 10');
  await cli('rm', 'cpu');
  const q = await cli('run', '--rm', '--cpu-quota', '20000', '--cpu-period', '50000', 'busybox', 'sh', '-c',
    V1 ? 'cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us' : 'cat /sys/fs/cgroup/cpu.max');
  assert.equal(q.code, 0, q.stderr);
  assert.match(q.stdout, V1 ? /^20000\n50000\n$/ : /^20000 50000\n$/);
});

test('--pids-limit 10 stops a bounded fork loop', async () => {
  // Up to 30 background sleepers (each ends by itself); busybox sh gives up at the first failed fork.
  // When the shell (PID 1) exits, the kernel kills the rest of the container.
  const r = await cli('run', '--rm', '--pids-limit', '10', 'busybox', 'sh', '-c', 'for i in $(seq 30); do sleep 5 & echo started; done');
  assert.notEqual(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stderr, /can't fork/);
  const started = r.stdout.split('\n').filter((l) => l === 'started').length;
  assert.ok(started > 0 && started < 10, `${started} processes started under --pids-limit 10`);
});

test('--ulimit nofile=1024:2048 is visible with ulimit', async () => {
  const r = await cli('run', '--name', 'ul', '--ulimit', 'nofile=1024:2048', 'busybox', 'sh', '-c', 'ulimit -n; ulimit -Hn');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '1024\n2048\n');
  assert.deepEqual(JSON.parse(await inspect('ul', '{{json .HostConfig.Ulimits}}')), [{ Name: 'nofile', Hard: 2048, Soft: 1024 }]);
  await cli('rm', 'ul');
});

test('--shm-size 128m sizes /dev/shm; the default is 64m', async () => {
  const r = await cli('run', '--rm', '--shm-size', '128m', 'busybox', 'df', '-k', '/dev/shm');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\s131072\s/);
  const def = await cli('run', '--rm', 'busybox', 'df', '-k', '/dev/shm');
  assert.match(def.stdout, /\s65536\s/);
});

test('--read-only with --tmpfs /tmp: writes to / fail, to /tmp work', async () => {
  const r = await cli('run', '--rm', '--read-only', '--tmpfs', '/tmp', 'busybox', 'sh', '-c',
    'if touch /x 2>/dev/null; then echo root-writable; else echo root-ro; fi; echo hi > /tmp/f && cat /tmp/f; grep " /tmp " /proc/mounts');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], 'root-ro');
  assert.equal(lines[1], 'hi');
  assert.match(lines[2], /^tmpfs \/tmp tmpfs rw,nosuid,nodev,noexec/);
});

test('over --memory 8m: OOM-killed, exit 137, State.OOMKilled true', async () => {
  // A bounded allocation: ~40 MB in one shell variable, far over 8 MiB of memory (+8 MiB swap).
  const r = await cli('run', '--name', 'oom', '--memory', '8m', 'busybox', 'sh', '-c', 'x=$(head -c 40000000 /dev/zero | tr "\\0" a); echo survived');
  assert.equal(r.code, 137, r.stdout + r.stderr);
  assert.equal(await inspect('oom', '{{.State.OOMKilled}} {{.State.ExitCode}}'), 'true 137');
  await cli('rm', 'oom');
  const ok = await cli('run', '--name', 'nooom', 'busybox', 'true');
  assert.equal(ok.code, 0);
  assert.equal(await inspect('nooom', '{{.State.OOMKilled}}'), 'false');
  await cli('rm', 'nooom');
});

test('the cgroup records an OOM kill of a child while the container keeps running (src/host/oom.ts)', async () => {
  const run = await cli('run', '-d', '--name', 'oomchild', '--memory', '8m', 'busybox', 'sh', '-c',
    'head -c 40000000 /dev/zero | tr "\\0" a | (x=$(cat)); echo after; sleep 30');
  assert.equal(run.code, 0, run.stderr);
  const id = run.stdout.trim();
  let seen = false;
  for (let i = 0; i < 100 && !seen; i++) {
    seen = cgroupOomKilled(`/berth/${id}`);
    if (!seen) await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(seen, true, 'oom_kill counter of the container cgroup');
  assert.equal(await inspect('oomchild', '{{.State.Running}}'), 'true');
  assert.equal(cgroupOomKilled('/berth/no-such-cgroup'), false);
  await cli('rm', '-f', 'oomchild');
});

test('update --memory changes a running container, and is kept for the next start', async () => {
  const run = await cli('run', '-d', '--name', 'up', '--memory', '16m', 'busybox', 'sleep', '60');
  assert.equal(run.code, 0, run.stderr);
  const up = await cli('update', '--memory', '24m', '--cpus', '0.5', '--pids-limit', '20', 'up');
  assert.equal(up.code, 0, up.stderr);
  assert.equal(up.stdout, 'up\n');
  // The container's cgroup, seen from the host (cgroupsPath /berth/<id>).
  const id = run.stdout.trim();
  const memFile = V1 ? `/sys/fs/cgroup/memory/berth/${id}/memory.limit_in_bytes` : `/sys/fs/cgroup/berth/${id}/memory.max`;
  const pidsFile = V1 ? `/sys/fs/cgroup/pids/berth/${id}/pids.max` : `/sys/fs/cgroup/berth/${id}/pids.max`;
  const cpuFile = V1 ? `/sys/fs/cgroup/cpu/berth/${id}/cpu.cfs_quota_us` : `/sys/fs/cgroup/berth/${id}/cpu.max`;
  assert.equal(readFileSync(memFile, 'utf8').trim(), String(24 * 1024 * 1024));
  assert.equal(readFileSync(pidsFile, 'utf8').trim(), '20');
  assert.match(readFileSync(cpuFile, 'utf8').trim(), /^50000\b/);
  assert.equal(await inspect('up', '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}'), `${24 * 1024 * 1024} 500000000 20`);
  // Kept for the next start.
  assert.equal((await cli('stop', '-t', '0', 'up')).code, 0);
  assert.equal((await cli('start', 'up')).code, 0);
  assert.equal(readFileSync(memFile, 'utf8').trim(), String(24 * 1024 * 1024));
  assert.equal(readFileSync(pidsFile, 'utf8').trim(), '20');
  // Docker's rule: a memory limit above the current swap limit needs --memory-swap as well.
  const big = await cli('update', '--memory', '64m', 'up');
  assert.equal(big.code, 1);
  assert.match(big.stderr, /Memory limit should be smaller than already set memoryswap limit/);
  // Raising memory and swap together works on the running container (swap is raised first on v1).
  const both = await cli('update', '--memory', '64m', '--memory-swap', '128m', 'up');
  assert.equal(both.code, 0, both.stderr);
  assert.equal(readFileSync(memFile, 'utf8').trim(), String(64 * 1024 * 1024));
  if (V1) assert.equal(readFileSync(memFile.replace('memory.limit_in_bytes', 'memory.memsw.limit_in_bytes'), 'utf8').trim(), String(128 * 1024 * 1024));
  const low = await cli('update', '--memory', '1k', 'up');
  assert.equal(low.code, 1);
  assert.equal(low.stderr, 'Error response from daemon: Minimum memory limit allowed is 6MB\n');
  const none = await cli('update', 'up');
  assert.equal(none.code, 1);
  assert.match(none.stderr, /you must provide one or more flags when using this command/);
  const rp = await cli('update', '--restart', 'on-failure:3', 'up');
  assert.equal(rp.code, 0, rp.stderr);
  assert.equal(await inspect('up', '{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}'), 'on-failure 3');
  const missing = await cli('update', '--memory', '32m', 'nosuch');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No such container: nosuch/);
  await cli('rm', '-f', 'up');
});

test('invalid values are refused before anything is created', async () => {
  const cases: Array<[string[], RegExp, number]> = [
    [['--memory', '1k'], /Minimum memory limit allowed is 6MB/, 125],
    [['--cpus', '-1'], /Range of CPUs is from 0\.01 to \d+\.00, as there are only \d+ CPUs available/, 125],
    [['--cpu-quota', '500'], /CPU cfs quota can not be less than 1ms \(i\.e\. 1000\)/, 125],
    [['--cpu-period', '500'], /CPU cfs period can not be less than 1ms/, 125],
    [['--cpuset-cpus', '999'], /Requested CPUs are not available - requested 999, available: /, 125],
    [['--cpuset-cpus', 'abc'], /Invalid value abc for cpuset cpus: invalid format: abc/, 125],
    [['--memory', '8m', '--memory-swap', '1m'], /Minimum memoryswap limit should be larger than memory limit, see usage/, 125],
    [['--memory-swap', '10m'], /You should always set the Memory limit when using Memoryswap limit, see usage/, 125],
    [['--cpus', '0.5', '--cpu-quota', '1000'], /Conflicting options: Nano CPUs and CPU Quota cannot both be set/, 125],
    [['--memory', 'abc'], /invalid argument "abc" for "-m, --memory" flag: invalid size: 'abc'/, 125],
    [['--cpus', 'abc'], /invalid argument "abc" for "--cpus" flag: failed to parse abc as a rational number/, 125],
    [['--ulimit', 'foo=1'], /invalid argument "foo=1" for "--ulimit" flag: invalid ulimit type: foo/, 125],
    [['--ulimit', 'nofile=2048:1024'], /ulimit soft limit must be less than or equal to hard limit: 2048 > 1024/, 125],
    [['--shm-size', 'abc'], /invalid argument "abc" for "--shm-size" flag: invalid size: 'abc'/, 125],
  ];
  const baseline = (await cli('ps', '-aq')).stdout;
  for (const [flags, message, code] of cases) {
    const r = await cli('run', ...flags, 'busybox', 'true');
    assert.equal(r.code, code, `${flags.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, flags.join(' '));
    const ps = await cli('ps', '-aq');
    assert.equal(ps.stdout, baseline, `${flags.join(' ')} left a container`);
  }
});
