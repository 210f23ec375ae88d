// The real docker CLI's interactive paths against berthd (hijacked attach with stdin, raw TTY stream,
// resize, detach keys), and the piped cases against the reference dockerd too.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { DOCKER_CLI } from '../helpers/daemon.js';
import { TmuxSession } from '../integration/interactive/tmux.js';
import { cleanup, compatDaemons, uniquePrefix } from './differential.js';

const env = compatDaemons({ reference: true });
const P = uniquePrefix('iact');
const sessions: TmuxSession[] = [];
const term = (command: string, size?: { width: number; height: number }) => {
  const s = TmuxSession.start(command, size);
  sessions.push(s);
  return s;
};
const dockerLine = (socket: string) => `DOCKER_HOST=unix://${socket} ${DOCKER_CLI}`;

after(async () => {
  for (const s of sessions) s.kill();
  await cleanup(env.berth, { containers: [`${P}-det`] });
});

test('echo hi | docker run -i busybox cat: same output and code as dockerd', async () => {
  const { berth, ref } = await env.both(['run', '--rm', '-i', 'busybox', 'cat'], { input: 'hi\n' });
  assert.equal(berth.stdout, 'hi\n');
  assert.equal(berth.code, 0, berth.stderr);
  assert.equal(berth.stdout, ref.stdout);
  assert.equal(berth.code, ref.code);
});

test('docker run -i: read, stderr, exit code and stdin EOF match dockerd', async () => {
  const args = ['run', '--rm', '-i', 'busybox', 'sh', '-c', 'read x; echo got $x; echo err >&2; cat; echo eof; exit 3'];
  const { berth, ref } = await env.both(args, { input: 'one\ntwo\n' });
  assert.equal(berth.stdout, 'got one\ntwo\neof\n');
  assert.equal(berth.stdout, ref.stdout);
  assert.equal(berth.stderr, ref.stderr);
  assert.equal(berth.code, 3);
  assert.equal(berth.code, ref.code);
});

test('docker run -it busybox sh works in a real terminal against berthd', async () => {
  const s = term(`${dockerLine(env.berth)} run --rm -it busybox sh`, { width: 120, height: 40 });
  await s.waitFor(/^\/ #/m);
  s.keys('echo $((6*7)); stty size', 'Enter');
  await s.waitFor(/^42\s*\n40 120/m);
  s.resize(100, 30);
  await new Promise((r) => setTimeout(r, 300));
  s.keys('stty size', 'Enter');
  await s.waitFor(/^30 100/m);
  s.keys('exit 6', 'Enter');
  await s.waitFor(/EXIT=6/);
});

test('docker run -it: ctrl-p ctrl-q detaches, docker attach resumes', async () => {
  const s = term(`${dockerLine(env.berth)} run -it --name ${P}-det busybox sh`);
  await s.waitFor(/^\/ #/m);
  s.keys('C-p', 'C-q');
  await s.waitFor(/EXIT=0/);
  const st = await env.docker(env.berth, ['inspect', '--format', '{{.State.Status}}', `${P}-det`]);
  assert.equal(st.stdout, 'running\n');
  const a = term(`${dockerLine(env.berth)} attach ${P}-det`, { width: 90, height: 20 });
  await new Promise((r) => setTimeout(r, 1000));
  a.keys('stty size; exit 8', 'Enter');
  await a.waitFor(/^20 90/m);
  await a.waitFor(/EXIT=8/);
});

test('a container exiting while docker run -i still has stdin open ends the client', async () => {
  const s = term(`${dockerLine(env.berth)} run --rm -i busybox sh -c 'echo early; exit 4'`);
  await s.waitFor(/early\s+EXIT=4/);
});
