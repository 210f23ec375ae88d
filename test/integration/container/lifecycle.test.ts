// Detached containers: ps, logs, stop, kill, restart, rename, wait, rm, prune.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { apiRequest, importBusybox, mountsUnder, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';

let d: BerthdHandle;
const cli = (...args: string[]) => runCli(args, { socket: d.socket });

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => d?.stop());

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

test('run -d, ps, logs, stop with SIGKILL fallback, exit code, rm', async () => {
  const run = await cli('run', '-d', '--name', 'web', 'busybox', 'sh', '-c', 'trap "" TERM; echo started; echo oops >&2; while true; do sleep 1; done');
  assert.equal(run.code, 0, run.stderr);
  const id = run.stdout.trim();
  assert.match(id, /^[a-f0-9]{64}$/);
  const ps = await cli('ps');
  const lines = ps.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);
  // Docker single-quotes arguments with spaces, quotes the whole, and cuts it at 20 characters.
  assert.match(lines[1], new RegExp(`^${id.slice(0, 12)}\\s+busybox\\s+"sh -c 'trap \\\\"\\\\" TERM…"\\s+.* ago\\s+Up .*\\s+web$`));
  await until(async () => (await cli('logs', 'web')).stdout === 'started\n', 'the log line');
  const logs = await cli('logs', 'web');
  assert.equal(logs.stderr, 'oops\n');
  const ts = await cli('logs', '-t', '--tail', '1', 'web');
  assert.match(ts.stdout + ts.stderr, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (started|oops)\n$/);
  const pid = (await cli('inspect', '--format', '{{.State.Running}} {{.State.Pid}}', 'web')).stdout.trim().split(' ');
  assert.equal(pid[0], 'true');
  assert.ok(existsSync(`/proc/${pid[1]}`), 'State.Pid is a live process');
  // No network yet: the address is empty, and the template's spaces are fine.
  assert.equal((await cli('inspect', '--format', '{{ .NetworkSettings.IPAddress }}', 'web')).stdout, '\n');
  const tpl = '{{range .Args}}[{{.}}]{{end}}|{{index .Config.Cmd 0}}|{{join .Config.Cmd ","}}|{{upper .State.Status}}{{println}}';
  const script = 'trap "" TERM; echo started; echo oops >&2; while true; do sleep 1; done';
  assert.equal((await cli('inspect', '--format', tpl, 'web')).stdout, `[-c][${script}]|sh|sh,-c,${script}|RUNNING\n\n`);
  const rmRunning = await cli('rm', 'web');
  assert.equal(rmRunning.code, 1);
  assert.equal(rmRunning.stderr, `Error response from daemon: You cannot remove a running container ${id}. Stop the container before attempting removal or force remove\n`);
  const t0 = Date.now();
  assert.equal((await cli('stop', '-t', '1', 'web')).stdout, 'web\n');
  assert.ok(Date.now() - t0 >= 900, 'stop waited for the timeout before SIGKILL');
  const state = await cli('inspect', '--format', '{{.State.Status}} {{.State.ExitCode}} {{.State.Running}}', 'web');
  assert.equal(state.stdout, 'exited 137 false\n');
  assert.match((await cli('ps', '-a')).stdout, /Exited \(137\) .* ago/);
  assert.equal((await cli('ps', '-q')).stdout, '');
  assert.equal((await cli('rm', 'web')).code, 0);
  assert.deepEqual(mountsUnder(d.dataRoot), []);
});

test('logs -f follows until the container stops; --since and --until filter by time', async () => {
  const id = (await cli('run', '-d', 'busybox', 'sh', '-c', 'echo one; sleep 1; echo two')).stdout.trim();
  const follow = await cli('logs', '-f', id);
  assert.equal(follow.stdout, 'one\ntwo\n');
  assert.equal((await cli('logs', '--since', '2099-01-01T00:00:00Z', id)).stdout, '');
  assert.equal((await cli('logs', '--until', '2000-01-01T00:00:00Z', id)).stdout, '');
  assert.equal((await cli('logs', '--since', '1h', id)).stdout, 'one\ntwo\n');
  assert.equal((await cli('logs', '--tail', '1', id)).stdout, 'two\n');
  assert.equal((await cli('rm', id)).code, 0);
});

test('kill -s, wait, restart, rename, and kill of a stopped container', async () => {
  const id = (await cli('run', '-d', 'busybox', 'sh', '-c', 'trap "exit 143" TERM; sleep 1000 & wait')).stdout.trim();
  const wait = cli('wait', id);
  assert.equal((await cli('kill', '-s', 'TERM', id)).code, 0);
  assert.equal((await wait).stdout, '143\n');
  const again = await cli('kill', id);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /is not running/);
  assert.equal((await cli('restart', '-t', '0', id)).code, 0);
  assert.equal((await cli('inspect', '--format', '{{.State.Running}}', id)).stdout, 'true\n');
  assert.equal((await cli('rename', id, 'renamed')).code, 0);
  assert.match((await cli('ps', '--format', '{{.Names}}')).stdout, /^renamed$/m);
  assert.equal((await cli('rm', '-f', 'renamed')).code, 0);
  assert.equal((await cli('ps', '-aq')).stdout, '');
});

test('ps filters, -n, -l, -q, --no-trunc and --format', async () => {
  const a = (await cli('create', '--name', 'fa', '-l', 'role=a', 'busybox')).stdout.trim();
  const b = (await cli('run', '-d', '--name', 'fb', '-l', 'role=b', 'busybox', 'sleep', '1000')).stdout.trim();
  const q = async (...f: string[]) => (await cli('ps', '-a', '--format', '{{.Names}}', ...f)).stdout.trim().split('\n').filter(Boolean).sort();
  assert.deepEqual(await q('--filter', 'status=running'), ['fb']);
  assert.deepEqual(await q('--filter', 'status=created'), ['fa']);
  assert.deepEqual(await q('--filter', 'label=role=a'), ['fa']);
  assert.deepEqual(await q('--filter', 'name=f'), ['fa', 'fb']);
  assert.deepEqual(await q('--filter', `id=${b.slice(0, 8)}`), ['fb']);
  assert.deepEqual(await q('--filter', 'ancestor=busybox'), ['fa', 'fb']);
  assert.equal((await cli('ps', '-l', '-q')).stdout, `${b.slice(0, 12)}\n`);
  assert.equal((await cli('ps', '-n', '2', '-q', '--no-trunc')).stdout, `${b}\n${a}\n`);
  assert.equal((await cli('ps', '--format', 'table {{.ID}}\t{{.Names}}')).stdout, `CONTAINER ID   NAMES\n${b.slice(0, 12)}   fb\n`);
  assert.equal((await cli('rm', '-f', 'fa', 'fb')).code, 0);
});

test('container prune removes stopped containers only', async () => {
  const stopped = (await cli('create', 'busybox')).stdout.trim();
  const running = (await cli('run', '-d', 'busybox', 'sleep', '1000')).stdout.trim();
  const r = await cli('container', 'prune', '-f');
  assert.match(r.stdout, new RegExp(`Deleted Containers:\\n${stopped}\\n`));
  assert.equal((await cli('ps', '-aq', '--no-trunc')).stdout, `${running}\n`);
  assert.equal((await cli('rm', '-f', running)).code, 0);
});

test('an ID prefix matching two containers is ambiguous, as in Docker', async () => {
  const ids: string[] = [];
  // Create until two IDs share a first hex digit (16 possibilities: bounded by 17).
  let shared: string | undefined;
  for (let i = 0; i < 17 && !shared; i++) {
    const id = (await cli('create', 'busybox')).stdout.trim();
    shared = ids.find((x) => x[0] === id[0])?.[0];
    ids.push(id);
  }
  assert.ok(shared);
  const r = await apiRequest(d.socket, 'GET', `/v1.51/containers/${shared}/json`);
  assert.equal(r.status, 400);
  assert.equal(JSON.parse(r.body.toString()).message, `multiple IDs found with provided prefix: ${shared}`);
  assert.equal((await cli('rm', ...ids)).code, 0);
});
