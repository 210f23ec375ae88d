// The real docker CLI against berthd and against the reference dockerd: resource flags give the same
// errors, the same HostConfig in inspect, and `update` behaves the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, compatDaemons, inspectOne, normIds, uniquePrefix } from '../../compat/differential.js';

const env = compatDaemons({ reference: true });
const P = uniquePrefix('res');
const name = (s: string) => `${P}-${s}`;

const INVALID: string[][] = [
  ['--memory', '1k'],
  ['--cpus', '-1'],
  ['--cpus', '3000'],
  ['--cpu-quota', '500'],
  ['--cpu-period', '2000000'],
  ['--cpuset-cpus', '999'],
  ['--cpuset-cpus', 'abc'],
  ['--memory', '8m', '--memory-swap', '1m'],
  ['--memory-swap', '10m'],
  ['--cpus', '0.5', '--cpu-quota', '1000'],
  ['--cpus', '0.5', '--cpu-period', '1000'],
];

test('invalid resource values: same message and exit code, nothing created', async () => {
  const n = name('bad');
  try {
    for (const flags of INVALID) {
      const { berth, ref } = await env.both(['create', '--name', n, ...flags, 'busybox', 'true']);
      assert.equal(berth.code, ref.code, `${flags.join(' ')}: ${berth.stderr} vs ${ref.stderr}`);
      assert.equal(berth.stderr, ref.stderr, flags.join(' '));
      const ls = await env.docker(env.berth, ['ps', '-aq', '--filter', `name=${n}`]);
      assert.equal(ls.stdout, '', `${flags.join(' ')} created a container`);
    }
  } finally {
    await cleanup(env.berth, { containers: [n] });
    await cleanup(env.ref(), { containers: [n] });
  }
});

const FIELDS = ['Memory', 'MemorySwap', 'NanoCpus', 'CpuShares', 'CpuQuota', 'CpuPeriod', 'CpusetCpus', 'PidsLimit', 'Ulimits', 'ShmSize', 'Tmpfs', 'ReadonlyRootfs'];

function pick(r: Awaited<ReturnType<typeof env.docker>>, what: string): Record<string, unknown> {
  const h = inspectOne(r, what).HostConfig as Record<string, unknown>;
  return Object.fromEntries(FIELDS.map((f) => [f, h[f]]));
}

test('limits in inspect match, and update changes them the same way', async () => {
  const a = name('lim');
  const b = name('plain');
  try {
    const flags = ['--memory', '16m', '--cpus', '0.5', '--cpu-shares', '256', '--cpuset-cpus', '0', '--pids-limit', '10',
      '--ulimit', 'nofile=1024:2048', '--shm-size', '128m', '--read-only', '--tmpfs', '/tmp:size=1m'];
    const created = await env.both(['create', '--name', a, ...flags, 'busybox', 'sleep', '30']);
    assert.equal(created.berth.code, 0, created.berth.stderr);
    assert.equal(created.ref.code, 0, created.ref.stderr);
    const plain = await env.both(['create', '--name', b, 'busybox', 'true']);
    assert.equal(plain.berth.code, 0, plain.berth.stderr);
    assert.deepEqual(pick(await env.docker(env.berth, ['inspect', a]), a), pick(await env.docker(env.ref(), ['inspect', a]), a));
    assert.deepEqual(pick(await env.docker(env.berth, ['inspect', b]), b), pick(await env.docker(env.ref(), ['inspect', b]), b));
    for (const update of [
      ['--memory', '24m'],
      ['--memory', '64m'],
      ['--memory', '64m', '--memory-swap', '128m'],
      ['--cpu-quota', '20000'],
      ['--cpus', '1', '--pids-limit', '20'],
      ['--memory', '1k'],
      ['--restart', 'always'],
    ]) {
      const u = await env.both(['update', ...update, a]);
      assert.equal(u.berth.code, u.ref.code, `${update.join(' ')}: ${u.berth.stderr} vs ${u.ref.stderr}`);
      assert.equal(normIds(u.berth.stderr), normIds(u.ref.stderr), update.join(' '));
      assert.deepEqual(pick(await env.docker(env.berth, ['inspect', a]), a), pick(await env.docker(env.ref(), ['inspect', a]), a), update.join(' '));
    }
    const u = await env.both(['update', '--memory', '32m', b]);
    assert.equal(normIds(u.berth.stderr), normIds(u.ref.stderr));
  } finally {
    await cleanup(env.berth, { containers: [a, b] });
    await cleanup(env.ref(), { containers: [a, b] });
  }
});
