// Health checks: probes run inside the container, State.Health with its log, ps suffixes, health_status
// events, --no-healthcheck, and bad health flags refused before anything is created.
import { watchEvents } from '../../helpers/events.js';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiRequest, importBusybox, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';

let d: BerthdHandle;
const cli = (...args: string[]) => runCli(args, { socket: d.socket });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => d?.stop());

async function until(check: () => Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting for ${what}`);
}

interface Health {
  Status: string;
  FailingStreak: number;
  Log: { Start: string; End: string; ExitCode: number; Output: string }[];
}

async function health(id: string): Promise<Health | undefined> {
  const r = await apiRequest(d.socket, 'GET', `/containers/${id}/json`);
  return (JSON.parse(r.body.toString()) as { State: { Health?: Health } }).State.Health;
}

const psStatus = async (name: string) =>
  (await cli('ps', '-a', '--format', '{{.Names}}\t{{.Status}}')).stdout
    .split('\n')
    .find((l) => l.startsWith(`${name}\t`))
    ?.split('\t')[1] ?? '';


test('health turns healthy, then unhealthy when the probe starts failing', async () => {
  const created = await cli(
    'create', '--name', 'hc', '--health-cmd', 'echo probe; test -f /tmp/ok', '--health-interval', '200ms',
    '--health-retries', '2', '--health-timeout', '2s',
    'busybox', 'sh', '-c', 'touch /tmp/ok; sleep 2; rm /tmp/ok; sleep 1000',
  );
  assert.equal(created.code, 0, created.stderr);
  const id = created.stdout.trim();
  const ev = watchEvents(d.socket, id);
  try {
    await sleep(200);
    assert.equal((await cli('start', id)).code, 0);
    assert.match((await health(id))?.Status ?? '', /^(starting|healthy)$/);
    await until(async () => (await health(id))?.Status === 'healthy', 'healthy');
    assert.match(await psStatus('hc'), /^Up .* \(healthy\)$/);
    const h1 = (await health(id))!;
    assert.equal(h1.FailingStreak, 0);
    assert.deepEqual([h1.Log.at(-1)?.ExitCode, h1.Log.at(-1)?.Output], [0, 'probe\n']);
    await until(async () => (await health(id))?.Status === 'unhealthy', 'unhealthy');
    assert.match(await psStatus('hc'), /^Up .* \(unhealthy\)$/);
    const h2 = (await health(id))!;
    assert.ok(h2.FailingStreak >= 2);
    assert.equal(h2.Log.at(-1)?.ExitCode, 1);
    assert.ok(h2.Log.length <= 5 && h2.Log.length >= 2);
    assert.ok(Date.parse(h2.Log[0].End) >= Date.parse(h2.Log[0].Start));
    assert.deepEqual(ev.actions.filter((a) => a.startsWith('health_status')), [
      'health_status: healthy',
      'health_status: unhealthy',
    ]);
  } finally {
    ev.stop();
  }
  assert.equal((await cli('stop', '-t', '0', id)).code, 0);
  // No probe runs on a stopped container: the log stays as it was.
  const afterStop = JSON.stringify(await health(id));
  await sleep(600);
  assert.equal(JSON.stringify(await health(id)), afterStop);
  assert.match(await psStatus('hc'), /^Exited/);
  assert.equal((await cli('rm', id)).code, 0);
});

test('ps shows (health: starting) until the first probe; a slow probe times out', async () => {
  const id = (
    await cli('run', '-d', '--name', 'slow', '--health-cmd', 'sleep 5', '--health-interval', '3s', '--health-timeout', '200ms',
      '--health-retries', '1', 'busybox', 'sleep', '1000')
  ).stdout.trim();
  try {
    assert.match(await psStatus('slow'), /^Up .* \(health: starting\)$/);
    await until(async () => (await health(id))?.Status === 'unhealthy', 'unhealthy after a timeout');
    const h = (await health(id))!;
    assert.equal(h.Log[0].ExitCode, -1);
    assert.equal(h.Log[0].Output, 'Health check exceeded timeout (200ms)');
  } finally {
    assert.equal((await cli('rm', '-f', id)).code, 0);
  }
});

test('--no-healthcheck stores NONE and no probe runs; bad health values are refused', async () => {
  const id = (await cli('run', '-d', '--no-healthcheck', 'busybox', 'sleep', '1000')).stdout.trim();
  assert.equal((await cli('inspect', '--format', '{{json .Config.Healthcheck}}', id)).stdout.trim(), '{"Test":["NONE"]}');
  assert.equal(await health(id), undefined);
  assert.equal((await cli('rm', '-f', id)).code, 0);
  const conflict = await cli('run', '--no-healthcheck', '--health-cmd', 'true', 'busybox', 'true');
  assert.equal(conflict.code, 125);
  assert.match(conflict.stderr, /--no-healthcheck conflicts with --health-\* options/);
  const neg = await cli('run', '--health-retries', '-1', 'busybox', 'true');
  assert.equal(neg.code, 125);
  assert.match(neg.stderr, /--health-retries cannot be negative/);
  const api = await apiRequest(d.socket, 'POST', '/containers/create', {
    body: JSON.stringify({ Image: 'busybox', Healthcheck: { Test: ['CMD', 'true'], Interval: 100 } }),
    headers: { 'Content-Type': 'application/json' },
  });
  assert.equal(api.status, 400);
  assert.equal(JSON.parse(api.body.toString()).message, 'Interval in Healthcheck cannot be less than 1ms');
  assert.equal((await cli('ps', '-aq')).stdout, '');
});

test('probing goes on for a container berthd re-adopts after a restart', async () => {
  const id = (
    await cli('run', '-d', '--name', 'kept', '--health-cmd', 'true', '--health-interval', '200ms', 'busybox', 'sleep', '1000')
  ).stdout.trim();
  try {
    await until(async () => (await health(id))?.Status === 'healthy', 'healthy');
    await d.restart();
    const restartedAt = Date.now();
    assert.equal((await health(id))?.Status, 'healthy');
    await until(
      async () => ((await health(id))?.Log ?? []).some((l) => Date.parse(l.Start) >= restartedAt),
      'a probe after the restart',
    );
    assert.equal((await health(id))?.Status, 'healthy');
  } finally {
    assert.equal((await cli('rm', '-f', id)).code, 0);
  }
});
