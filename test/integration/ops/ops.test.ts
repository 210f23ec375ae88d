// pause/unpause, top and stats against a real berthd.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { apiRequest, importBusybox, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';

let d: BerthdHandle;
const cli = (...args: string[]) => runCli(args, { socket: d.socket });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => d?.stop());

async function run(name: string, script: string): Promise<{ id: string; pid: number }> {
  const r = await cli('run', '-d', '--name', name, 'busybox', 'sh', '-c', script);
  assert.equal(r.code, 0, r.stderr);
  const id = r.stdout.trim();
  const pid = Number((await cli('inspect', '--format', '{{.State.Pid}}', name)).stdout.trim());
  return { id, pid };
}

const procState = (pid: number) => /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
const inspectState = async (name: string) => (await cli('inspect', '--format', '{{.State.Status}} {{.State.Paused}} {{.State.Running}}', name)).stdout.trim();

test('pause freezes the container, unpause thaws it; Docker messages for wrong states', async () => {
  const { id, pid } = await run('p1', 'i=0; while true; do i=$((i+1)); echo $i > /tmp/n; usleep 20000; done');
  // unpause of a running container
  const notPaused = await cli('unpause', 'p1');
  assert.equal(notPaused.code, 1);
  assert.equal(notPaused.stderr, `Error response from daemon: Container ${id} is not paused\n`);

  const p = await cli('pause', 'p1');
  assert.equal(p.code, 0, p.stderr);
  assert.equal(p.stdout, 'p1\n');
  assert.equal(await inspectState('p1'), 'paused true true');
  assert.match((await cli('ps')).stdout, /Up .* \(Paused\)\s+p1\n/);
  // The process is really frozen: its state is D (frozen in the refrigerator) and the counter stands still.
  await sleep(100);
  const readN = () => readFileSync(`/proc/${pid}/root/tmp/n`, 'utf8');
  const n1 = readN();
  await sleep(400);
  assert.equal(readN(), n1, 'the counter did not advance while paused');
  assert.notEqual(procState(pid), 'R');

  const again = await cli('pause', 'p1');
  assert.equal(again.code, 1);
  assert.equal(again.stderr, `Error response from daemon: Container ${id} is already paused\n`);
  const api = await apiRequest(d.socket, 'POST', '/v1.51/containers/p1/pause');
  assert.equal(api.status, 409);
  assert.deepEqual(JSON.parse(api.body.toString()), { message: `Container ${id} is already paused` });

  // top and stats work on a paused container
  assert.equal((await cli('top', 'p1')).code, 0);

  const u = await cli('unpause', 'p1');
  assert.equal(u.code, 0, u.stderr);
  assert.equal(u.stdout, 'p1\n');
  assert.equal(await inspectState('p1'), 'running false true');
  const n2 = readN();
  await sleep(400);
  assert.notEqual(readN(), n2, 'the counter advances again');

  // several arguments, one failing
  const multi = await cli('unpause', 'p1', 'nosuch');
  assert.equal(multi.code, 1);
  assert.equal(multi.stderr, `Error response from daemon: Container ${id} is not paused\nError response from daemon: No such container: nosuch\n`);

  // stopped container
  assert.equal((await cli('kill', 'p1')).code, 0);
  for (let i = 0; i < 100 && (await inspectState('p1')).includes('true'); i++) await sleep(50);
  const stopped = await cli('pause', 'p1');
  assert.equal(stopped.code, 1);
  assert.equal(stopped.stderr, `Error response from daemon: Container ${id} is not running\n`);
  const unp = await cli('unpause', 'p1');
  assert.equal(unp.stderr, `Error response from daemon: Container ${id} is not paused\n`);
  const top = await cli('top', 'p1');
  assert.equal(top.code, 1);
  assert.equal(top.stderr, `Error response from daemon: Container ${id} is not running\n`);
  assert.equal((await cli('rm', 'p1')).code, 0);
});

test('pause and unpause events', async () => {
  const since = Math.floor(Date.now() / 1000) - 1;
  const { id } = await run('ev1', 'sleep 100');
  assert.equal((await cli('pause', 'ev1')).code, 0);
  assert.equal((await cli('unpause', 'ev1')).code, 0);
  const until = Math.floor(Date.now() / 1000) + 1;
  const r = await apiRequest(d.socket, 'GET', `/v1.51/events?since=${since}&until=${until}&filters=${encodeURIComponent(JSON.stringify({ container: [id] }))}`);
  const actions = r.body.toString().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { Action: string }).Action);
  assert.ok(actions.includes('pause') && actions.includes('unpause'), `events: ${actions.join(',')}`);
  assert.equal((await cli('rm', '-f', 'ev1')).code, 0);
});

test('top lists the container processes, with ps options', async () => {
  const { pid } = await run('t1', 'sleep 1000 & sleep 2000; echo done');
  const r = await cli('top', 't1');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
  assert.equal(lines.length, 4, r.stdout); // sh, sleep 1000, sleep 2000
  assert.ok(lines.some((l) => new RegExp(`^root\\s+${pid}\\s.*sh -c sleep 1000`).test(l)), r.stdout);
  assert.ok(lines.some((l) => /sleep 1000$/.test(l)));
  const o = await cli('top', 't1', '-o', 'pid,comm');
  assert.equal(o.code, 0, o.stderr);
  assert.match(o.stdout, /^PID\s+COMMAND\n/);
  assert.match(o.stdout, new RegExp(`\\n${pid}\\s+sh\\n`));
  const api = await apiRequest(d.socket, 'GET', '/v1.51/containers/t1/top?ps_args=-o%20pid,args');
  const body = JSON.parse(api.body.toString()) as { Titles: string[]; Processes: string[][] };
  assert.deepEqual(body.Titles, ['PID', 'COMMAND']);
  assert.ok(body.Processes.some((p) => p[1] === 'sleep 2000'));
  const bad = await cli('top', 't1', '-o', 'user=PID');
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'Error response from daemon: specifying "user=PID" is not allowed\n');
  assert.equal((await cli('top', 'nosuch')).stderr, 'Error response from daemon: No such container: nosuch\n');
  assert.equal((await cli('rm', '-f', 't1')).code, 0);
});

test('stats --no-stream shows sensible numbers; API shapes; stopped containers', async () => {
  // Holds ~20 MB in a shell variable (anonymous memory) and keeps a CPU busy for a while.
  const { id } = await run('s1', 'x=$(head -c 20000000 /dev/zero | tr "\\0" a); (i=0; while [ $i -lt 5000000 ]; do i=$((i+1)); done) & sleep 1000');
  await sleep(1500);
  const r = await cli('stats', '--no-stream', 's1');
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^CONTAINER ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET I\/O\s+BLOCK I\/O\s+PIDS$/);
  const m = new RegExp(`^${id.slice(0, 12)}\\s+s1\\s+([\\d.]+)%\\s+([\\d.]+)(\\w+) / ([\\d.]+\\w+)\\s+([\\d.]+)%\\s+0B / 0B\\s+\\S+ / \\S+\\s+(\\d+)$`).exec(lines[1]!);
  assert.ok(m, lines[1]);
  assert.ok(Number(m[1]) > 0, `CPU% ${m[1]}`);
  assert.equal(m[3], 'MiB', `memory unit in ${lines[1]}`);
  assert.ok(Number(m[2]) >= 15, `memory ${m[2]}${m[3]}`);
  assert.ok(Number(m[6]) >= 1);

  const fmt = await cli('stats', '--no-stream', '--no-trunc', '--format', '{{.ID}} {{.Name}} {{.Container}} {{.PIDs}}', 's1');
  assert.match(fmt.stdout, new RegExp(`^${id} s1 s1 \\d+\\n$`));

  const one = await apiRequest(d.socket, 'GET', '/v1.51/containers/s1/stats?stream=0&one-shot=1');
  assert.equal(one.status, 200);
  const s = JSON.parse(one.body.toString());
  assert.equal(s.id, id);
  assert.equal(s.name, '/s1');
  assert.equal(s.preread, '0001-01-01T00:00:00Z');
  assert.ok(s.cpu_stats.cpu_usage.total_usage > 0);
  assert.ok(s.cpu_stats.system_cpu_usage > 0);
  assert.ok(s.cpu_stats.online_cpus >= 1);
  assert.ok(s.memory_stats.usage > 15e6 && s.memory_stats.limit > 0);
  assert.equal(typeof s.memory_stats.stats, 'object');
  assert.ok(s.pids_stats.current >= 1);

  const two = JSON.parse((await apiRequest(d.socket, 'GET', '/v1.51/containers/s1/stats?stream=0')).body.toString());
  assert.notEqual(two.preread, '0001-01-01T00:00:00Z');
  assert.ok(two.precpu_stats.system_cpu_usage > 0 && two.precpu_stats.system_cpu_usage < two.cpu_stats.system_cpu_usage);

  const both = await apiRequest(d.socket, 'GET', '/v1.51/containers/s1/stats?stream=1&one-shot=1');
  assert.equal(both.status, 400);

  // Streaming without a terminal: plain blocks, one sample per second from the daemon.
  const streamed = await runCli(['stats', 's1'], { socket: d.socket, timeoutMs: 2500 });
  const headers = streamed.stdout.split('\n').filter((l) => l.startsWith('CONTAINER ID')).length;
  assert.ok(headers >= 2, streamed.stdout);
  assert.ok(!streamed.stdout.includes('\x1b['), 'no terminal escapes without a terminal');

  // Stream ends when the container stops.
  const stream = apiRequest(d.socket, 'GET', '/v1.51/containers/s1/stats', { timeoutMs: 20_000 });
  await sleep(1200);
  assert.equal((await cli('kill', 's1')).code, 0);
  const res = await stream;
  const samples = res.body.toString().split('\n').filter(Boolean);
  assert.ok(samples.length >= 1);

  for (let i = 0; i < 100 && (await inspectState('s1')).includes('true'); i++) await sleep(50);
  const stopped = await cli('stats', '--no-stream', 's1');
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.match(stopped.stdout.split('\n')[1]!, new RegExp(`^${id.slice(0, 12)}\\s+s1\\s+0\\.00%\\s+0B / 0B\\s+0\\.00%\\s+0B / 0B\\s+0B / 0B\\s+0$`));
  const zero = JSON.parse((await apiRequest(d.socket, 'GET', '/v1.51/containers/s1/stats?stream=0')).body.toString());
  assert.equal(zero.read, '0001-01-01T00:00:00Z');
  assert.equal(zero.id, id);
  const missing = await cli('stats', '--no-stream', 'nosuch');
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'Error response from daemon: No such container: nosuch\n');
  assert.equal((await cli('rm', 's1')).code, 0);
});

test('stats without names follows containers that start and drops those that die', async () => {
  const watching = runCli(['stats', '--format', 'table {{.Name}}'], { socket: d.socket, timeoutMs: 7000 });
  await sleep(1500);
  await run('late1', 'sleep 60');
  await sleep(2000);
  assert.equal((await cli('kill', 'late1')).code, 0);
  const r = await watching;
  assert.ok(r.timedOut, 'a live view with no names keeps going until interrupted');
  // One block per redraw, each starting with the header.
  const blocks = r.stdout.split(/^NAME\n/m).slice(1).map((b) => b.split('\n').filter(Boolean));
  assert.ok(blocks.some((b) => b.includes('late1')), `late1 never appeared:\n${r.stdout}`);
  assert.ok(!blocks.at(-1)!.includes('late1'), `late1 is still shown after it died:\n${r.stdout}`);
  assert.equal((await cli('rm', '-f', 'late1')).code, 0);
});
