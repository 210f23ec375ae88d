// Interactive containers end to end: stdin through conmon's attach socket,
// a real terminal (tmux) for -it, detach keys, attach and start -ai.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { apiRequest, importBusybox, repoRoot, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';
import { TmuxSession } from './tmux.js';

let d: BerthdHandle;
const cli = (args: string[], input?: string) => runCli(args, { socket: d.socket, input, timeoutMs: 30_000 });
const berthLine = () => `${process.execPath} ${path.join(repoRoot, 'dist', 'src', 'cmd', 'berth.js')} -H unix://${d.socket}`;
const sessions: TmuxSession[] = [];
const term = (command: string, size?: { width: number; height: number }) => {
  const s = TmuxSession.start(command, size);
  sessions.push(s);
  return s;
};

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => {
  for (const s of sessions) s.kill();
  if (d) await cli(['rm', '-f', ...(await cli(['ps', '-aq'])).stdout.split('\n').filter(Boolean)]);
  await d?.stop();
});

test('echo hi | run -i busybox cat prints hi and exits 0', async () => {
  const r = await cli(['run', '--rm', '-i', 'busybox', 'cat'], 'hi\n');
  assert.equal(r.stdout, 'hi\n');
  assert.equal(r.code, 0, r.stderr);
});

test('read from stdin, stderr kept apart, exit code passed through', async () => {
  const r = await cli(['run', '--rm', '-i', 'busybox', 'sh', '-c', 'read x; echo got $x; echo oops >&2; exit 3'], 'world\n');
  assert.equal(r.stdout, 'got world\n');
  assert.equal(r.stderr, 'oops\n');
  assert.equal(r.code, 3);
});

test('stdin EOF reaches the container (empty input, and large input)', async () => {
  const r = await cli(['run', '--rm', '-i', 'busybox', 'sh', '-c', 'cat; echo eof'], '');
  assert.equal(r.stdout, 'eof\n');
  const big = 'x'.repeat(99_999) + '\n';
  const w = await cli(['run', '--rm', '-i', 'busybox', 'wc', '-c'], big);
  assert.equal(w.stdout.trim(), '100000');
});

test('a container that exits while stdin is still open ends the client', async () => {
  // stdin is the terminal, which never ends: the client must return when the container exits.
  const s = term(`${berthLine()} run --rm -i busybox sh -c 'echo early; exit 4'`);
  await s.waitFor(/early\s+EXIT=4/);
});

test('run -it gives a terminal: prompt, size, SIGWINCH, exit code', async () => {
  const s = term(`${berthLine()} run --rm -it busybox sh`, { width: 120, height: 40 });
  await s.waitFor(/^\/ #/m);
  s.keys('echo $((6*7)); stty size', 'Enter');
  await s.waitFor(/^42\s*\n40 120/m);
  s.resize(100, 30);
  await new Promise((r) => setTimeout(r, 300));
  s.keys('stty size; tty', 'Enter');
  await s.waitFor(/^30 100\s*\n\/dev\/pts\/0/m);
  s.keys('exit 5', 'Enter');
  await s.waitFor(/EXIT=5/);
});

test('ctrl-p ctrl-q detaches and leaves it running; attach comes back', async () => {
  const s = term(`${berthLine()} run -it --name det1 busybox sh`);
  await s.waitFor(/^\/ #/m);
  s.keys('C-p', 'C-q');
  await s.waitFor(/EXIT=0/);
  const state = await cli(['inspect', '--format', '{{.State.Status}}', 'det1']);
  assert.equal(state.stdout, 'running\n');
  const a = term(`${berthLine()} attach det1`, { width: 90, height: 20 });
  await new Promise((r) => setTimeout(r, 1000));
  a.keys('stty size; exit 7', 'Enter');
  await a.waitFor(/^20 90/m);
  await a.waitFor(/EXIT=7/);
  assert.equal((await cli(['inspect', '--format', '{{.State.ExitCode}}', 'det1'])).stdout, '7\n');
});

test('--detach-keys overrides the sequence', async () => {
  const s = term(`${berthLine()} run -it --detach-keys ctrl-x,x --name det2 busybox sh`);
  await s.waitFor(/^\/ #/m);
  s.keys('C-p', 'C-q');
  s.keys('echo still-here', 'Enter');
  await s.waitFor(/^still-here/m);
  s.keys('C-x', 'x');
  await s.waitFor(/EXIT=0/);
  assert.equal((await cli(['inspect', '--format', '{{.State.Status}}', 'det2'])).stdout, 'running\n');
  await cli(['rm', '-f', 'det2']);
});

test('start -ai attaches a created -it container', async () => {
  assert.equal((await cli(['create', '-it', '--name', 'sa1', 'busybox', 'sh'])).code, 0);
  const s = term(`${berthLine()} start -ai sa1`);
  await new Promise((r) => setTimeout(r, 1000));
  s.keys('echo started; exit 3', 'Enter');
  await s.waitFor(/^started/m);
  await s.waitFor(/EXIT=3/);
  const r = await cli(['attach', 'sa1']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /You cannot attach to a stopped container, start it first/);
  await cli(['rm', 'sa1']);
});

test('resize: 200 for a running TTY container, 409 when not running, 400 on junk', async () => {
  const id = (await cli(['run', '-dit', 'busybox', 'sh'])).stdout.trim();
  assert.equal((await apiRequest(d.socket, 'POST', `/containers/${id}/resize?h=33&w=77`)).status, 200);
  const size = await cli(['exec', id, 'stty', 'size']).catch(() => undefined);
  if (size && size.code === 0) assert.equal(size.stdout.trim(), '33 77');
  assert.equal((await apiRequest(d.socket, 'POST', `/containers/${id}/resize?h=x&w=77`)).status, 400);
  await cli(['rm', '-f', id]);
  const created = (await cli(['create', '-t', 'busybox'])).stdout.trim();
  assert.equal((await apiRequest(d.socket, 'POST', `/containers/${created}/resize?h=10&w=10`)).status, 409);
  await cli(['rm', created]);
});

test('SIGTERM stops berthd even while a client is attached; the container survives it', async () => {
  const id = (await cli(['run', '-d', '-i', 'busybox', 'cat'])).stdout.trim();
  // A client holding a hijacked attach connection open, its input never ended.
  const upgraded = new Promise<import('node:net').Socket>((resolve, reject) => {
    const req = http.request({
      socketPath: d.socket,
      method: 'POST',
      path: `/v1.51/containers/${id}/attach?stream=1&stdin=1&stdout=1&stderr=1`,
      headers: { Connection: 'Upgrade', Upgrade: 'tcp' },
    });
    req.on('upgrade', (_res, socket) => resolve(socket));
    req.on('error', reject);
    req.end();
  });
  const held = await upgraded;
  const closed = new Promise((r) => held.once('close', r));
  const pid = d.pid;
  process.kill(pid, 'SIGTERM');
  let alive = true;
  for (let i = 0; i < 100 && alive; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
  }
  assert.equal(alive, false, 'berthd did not exit on SIGTERM while a hijacked connection was open');
  await closed;
  await d.restart();
  assert.equal((await cli(['inspect', '--format', '{{.State.Running}}', id])).stdout.trim(), 'true');
  assert.equal((await cli(['rm', '-f', id])).code, 0);
});
