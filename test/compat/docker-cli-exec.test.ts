// The real docker CLI's exec against berthd and against the reference dockerd: same output, stderr
// and exit codes for the piped cases and the failures; -it in a real terminal (tmux) against berthd.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { DOCKER_CLI, type RunResult } from '../helpers/daemon.js';
import { TmuxSession } from '../integration/interactive/tmux.js';
import { cleanup, compatDaemons, normIds, uniquePrefix } from './differential.js';

const env = compatDaemons({ reference: true });
const P = uniquePrefix('exec');
const C = `${P}-c`;
const sessions: TmuxSession[] = [];
const dockerLine = (socket: string) => `DOCKER_HOST=unix://${socket} ${DOCKER_CLI}`;

/** Runs `args` (with C as the container) on both daemons and checks they agree on everything the user sees. */
async function same(args: string[], input?: string): Promise<RunResult> {
  const { berth, ref } = await env.both(args, { input });
  assert.equal(berth.stdout, ref.stdout, `stdout of docker ${args.join(' ')}`);
  assert.equal(normIds(berth.stderr), normIds(ref.stderr), `stderr of docker ${args.join(' ')}`);
  assert.equal(berth.code, ref.code, `exit code of docker ${args.join(' ')}: ${berth.stderr}`);
  return berth;
}

/** The containers, on both daemons, made by the first test that needs them (compatDaemons starts berthd in its own hook). */
let made: Promise<void> | undefined;
function ready(): Promise<void> {
  made ??= (async () => {
    for (const socket of [env.berth, env.ref()]) {
      await cleanup(socket, { containers: [C, `${P}-stopped`] });
      const r = await env.docker(socket, ['run', '-d', '--name', C, '-e', 'FROM_CTR=c', 'busybox', 'sleep', '1000']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await env.docker(socket, ['create', '--name', `${P}-stopped`, 'busybox', 'true'])).code, 0);
    }
  })();
  return made;
}

after(async () => {
  for (const s of sessions) s.kill();
  await cleanup(env.berth, { containers: [C, `${P}-stopped`] });
  try {
    await cleanup(env.ref(), { containers: [C, `${P}-stopped`] });
  } catch {
    // the reference was not available
  }
});

test('docker exec c echo hi, and exit codes with stdout and stderr apart', async () => {
  await ready();
  assert.equal((await same(['exec', C, 'echo', 'hi'])).stdout, 'hi\n');
  const r = await same(['exec', C, 'sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.equal(r.code, 3);
});

test('docker exec -i c cat <<< hi', async () => {
  await ready();
  assert.equal((await same(['exec', '-i', C, 'cat'], 'hi\n')).stdout, 'hi\n');
  await same(['exec', '-i', C, 'sh', '-c', 'read x; echo got $x; cat; echo eof'], 'one\ntwo\n');
});

test('docker exec -e A=1 -w /tmp -u nobody c sh -c \'echo $A; pwd; id\'', async () => {
  await ready();
  const r = await same(['exec', '-e', 'A=1', '-w', '/tmp', '-u', 'nobody', C, 'sh', '-c', 'echo $A $FROM_CTR; pwd; id; echo $HOME']);
  assert.equal(r.stdout, '1 c\n/tmp\nuid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n/home\n');
  await same(['exec', '-u', '0:65534', C, 'id']);
});

test('failures read and exit as with dockerd: not found, not executable, unknown user, bad workdir', async () => {
  await ready();
  assert.equal((await same(['exec', C, 'nosuchcmd'])).code, 126);
  await same(['exec', C, '/etc']);
  await same(['exec', '-u', 'ghost', C, 'true']);
  await same(['exec', '-w', '/nonexistent', C, 'pwd']);
  await same(['exec', '-d', C, 'nosuchcmd']);
  await same(['exec', `${P}-nosuch`, 'true']);
  await same(['exec', `${P}-stopped`, 'true']);
  await same(['exec', '-it', C, 'true'], '');
});

test('docker exec -d returns at once; the command runs on', async () => {
  await ready();
  await same(['exec', '-d', C, 'sh', '-c', 'echo bg > /tmp/bg']);
  for (let i = 0; i < 100; i++) {
    const { berth, ref } = await env.both(['exec', C, 'cat', '/tmp/bg']);
    if (berth.stdout === 'bg\n' && ref.stdout === 'bg\n') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail('the detached command did not run on both daemons');
});

test('docker exec in a paused container is refused in dockerd\'s words', async () => {
  await ready();
  for (const socket of [env.berth, env.ref()]) assert.equal((await env.docker(socket, ['pause', C])).code, 0);
  try {
    const r = await same(['exec', C, 'true']);
    assert.equal(r.stderr, `Error response from daemon: Container ${C} is paused, unpause the container before exec\n`);
  } finally {
    for (const socket of [env.berth, env.ref()]) await env.docker(socket, ['unpause', C]);
  }
});

test('docker exec -it c sh in a real terminal against berthd: prompt, size, resize, exit code, detach', async () => {
  await ready();
  const s = TmuxSession.start(`${dockerLine(env.berth)} exec -it ${C} sh`, { width: 120, height: 40 });
  sessions.push(s);
  await s.waitFor(/^\/ #/m);
  s.keys('echo $((6*7)); stty size', 'Enter');
  await s.waitFor(/^42\s*\n40 120/m);
  s.resize(100, 30);
  await new Promise((r) => setTimeout(r, 300));
  s.keys('stty size', 'Enter');
  await s.waitFor(/^30 100/m);
  s.keys('exit 6', 'Enter');
  await s.waitFor(/EXIT=6/);
  const det = TmuxSession.start(`${dockerLine(env.berth)} exec -it ${C} sh`);
  sessions.push(det);
  await det.waitFor(/^\/ #/m);
  det.keys('C-p', 'C-q');
  // The docker CLI reports a detach from exec as "read escape sequence", status 1 (as against dockerd).
  await det.waitFor(/read escape sequence\s+EXIT=1/);
});
