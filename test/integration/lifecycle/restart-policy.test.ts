// Restart policies with Docker's rules: on-failure:N, always, stop respected, unless-stopped vs always
// across a berthd restart, and invalid policies refused before anything is created.
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

const inspect = async (ref: string, format: string) => (await cli('inspect', '--format', format, ref)).stdout.trim();


test('invalid restart policies are refused before anything is created', async () => {
  const cases: [unknown, string][] = [
    [{ Name: 'bogus', MaximumRetryCount: 0 }, "invalid restart policy 'bogus'"],
    [{ Name: 'on-failure', MaximumRetryCount: -1 }, 'maximum retry count cannot be negative'],
    [{ Name: 'always', MaximumRetryCount: 2 }, "maximum retry count cannot be used with restart policy 'always'"],
  ];
  for (const [policy, message] of cases) {
    const r = await apiRequest(d.socket, 'POST', '/containers/create', {
      body: JSON.stringify({ Image: 'busybox', HostConfig: { RestartPolicy: policy } }),
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(r.status, 400);
    assert.equal(JSON.parse(r.body.toString()).message, message);
  }
  const rm = await apiRequest(d.socket, 'POST', '/containers/create', {
    body: JSON.stringify({ Image: 'busybox', HostConfig: { AutoRemove: true, RestartPolicy: { Name: 'always' } } }),
    headers: { 'Content-Type': 'application/json' },
  });
  assert.equal(rm.status, 400);
  assert.equal(JSON.parse(rm.body.toString()).message, "can't create 'AutoRemove' container with restart policy");
  const neg = await cli('run', '--restart', 'on-failure:-1', 'busybox', 'true');
  assert.equal(neg.code, 125);
  assert.match(neg.stderr, /maximum retry count cannot be negative/);
  const both = await cli('run', '--rm', '--restart', 'always', 'busybox', 'true');
  assert.equal(both.code, 125);
  assert.match(both.stderr, /conflicting options: cannot specify both --restart and --rm/);
  assert.equal((await cli('ps', '-aq')).stdout, '');
});

test('on-failure:2 restarts twice, then stays exited with RestartCount 2', async () => {
  const created = await cli('create', '--name', 'fail2', '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'exit 3');
  assert.equal(created.code, 0, created.stderr);
  const id = created.stdout.trim();
  const ev = watchEvents(d.socket, id);
  try {
    await sleep(200);
    assert.equal((await cli('start', id)).code, 0);
    await until(
      async () => (await inspect(id, '{{.RestartCount}} {{.State.Status}}')) === '2 exited',
      'two restarts, then exited',
    );
    // Back-offs were 100 ms and 200 ms: a third restart would have come by now.
    await sleep(1000);
    assert.equal(await inspect(id, '{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}}'), '2 exited 3');
    assert.deepEqual(ev.actions.filter((a) => a === 'start' || a === 'die'), ['start', 'die', 'start', 'die', 'start', 'die']);
  } finally {
    ev.stop();
  }
  assert.equal((await cli('rm', id)).code, 0);
});

test('on-failure does not restart a container that exits 0; no policy never restarts', async () => {
  const ok = (await cli('run', '-d', '--restart', 'on-failure', 'busybox', 'true')).stdout.trim();
  const none = (await cli('run', '-d', 'busybox', 'false')).stdout.trim();
  await until(async () => (await inspect(ok, '{{.State.Status}}')) === 'exited', 'exit');
  await until(async () => (await inspect(none, '{{.State.Status}}')) === 'exited', 'exit');
  await sleep(500);
  assert.equal(await inspect(ok, '{{.RestartCount}} {{.State.Status}}'), '0 exited');
  assert.equal(await inspect(none, '{{.RestartCount}} {{.State.Status}}'), '0 exited');
  assert.equal((await cli('rm', ok, none)).code, 0);
});

test('always restarts after exit (even exit 0) and a stop is respected', async () => {
  const id = (await cli('run', '-d', '--restart', 'always', 'busybox', 'sh', '-c', 'sleep 1; exit 0')).stdout.trim();
  await until(async () => Number(await inspect(id, '{{.RestartCount}}')) >= 1, 'a restart');
  // Catch it running (not in its back-off), then stop it.
  await until(async () => (await inspect(id, '{{.State.Status}}')) === 'running', 'running again');
  assert.equal((await cli('stop', '-t', '0', id)).code, 0);
  const count = await inspect(id, '{{.RestartCount}}');
  await sleep(1500);
  assert.equal(await inspect(id, '{{.State.Status}} {{.State.Restarting}}'), 'exited false');
  assert.equal(await inspect(id, '{{.RestartCount}}'), count);
  // A user's start resets RestartCount, as in Docker.
  assert.equal((await cli('start', id)).code, 0);
  assert.equal(await inspect(id, '{{.RestartCount}}'), '0');
  assert.equal((await cli('stop', '-t', '0', id)).code, 0);
  assert.equal((await cli('rm', id)).code, 0);
});

test('across a berthd restart: stopped always containers start again, stopped unless-stopped ones do not', async () => {
  const always = (await cli('run', '-d', '--name', 'al', '--restart', 'always', 'busybox', 'sleep', '1000')).stdout.trim();
  const unless = (await cli('run', '-d', '--name', 'us', '--restart', 'unless-stopped', 'busybox', 'sleep', '1000')).stdout.trim();
  const kept = (await cli('run', '-d', '--name', 'uk', '--restart', 'unless-stopped', 'busybox', 'sleep', '1000')).stdout.trim();
  const plain = (await cli('run', '-d', '--name', 'pl', 'busybox', 'sleep', '1000')).stdout.trim();
  assert.equal((await cli('stop', '-t', '0', always, unless, plain)).code, 0);
  const keptPid = await inspect(kept, '{{.State.Pid}}');
  await d.restart();
  await until(async () => (await inspect(always, '{{.State.Status}}')) === 'running', 'always to run again');
  assert.equal(await inspect(unless, '{{.State.Status}}'), 'exited');
  assert.equal(await inspect(plain, '{{.State.Status}}'), 'exited');
  assert.equal(await inspect(kept, '{{.State.Status}} {{.State.Pid}}'), `running ${keptPid}`);
  assert.equal((await cli('rm', '-f', always, unless, kept, plain)).code, 0);
});
