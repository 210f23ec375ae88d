// `berth run` end to end: real berthd, conmon, runc and overlayfs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { apiRequest, importBusybox, mountsUnder, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';

let d: BerthdHandle;

/** Fields of /proc/<pid>/stat after the command name: [pid, comm, state, ppid, ...]. */
function procStat(pid: string): string[] {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const close = text.lastIndexOf(')');
  return [pid, text.slice(text.indexOf('(') + 1, close), ...text.slice(close + 2).split(' ')];
}

function childrenOf(pid: string): string[] {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p) && (() => {
    try {
      return procStat(p)[3] === pid;
    } catch {
      return false;
    }
  })());
}
const cli = (...args: string[]) => runCli(args, { socket: d.socket });

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => d?.stop());

test('run --rm prints the output, passes the exit code and leaves nothing behind', async () => {
  const r = await cli('run', '--rm', 'busybox', 'echo', 'hello', 'world');
  assert.equal(r.stdout, 'hello world\n');
  assert.equal(r.code, 0, r.stderr);
  const code = await cli('run', '--rm', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3');
  assert.equal(code.code, 3);
  assert.equal(code.stdout, 'out\n');
  assert.equal(code.stderr, 'err\n');
  assert.equal((await cli('ps', '-aq')).stdout, '');
  assert.deepEqual(mountsUnder(d.dataRoot), []);
});

test('an unknown command exits 127 with the runtime\'s message', async () => {
  const r = await cli('run', '--rm', 'busybox', 'nope');
  assert.equal(r.code, 127);
  assert.match(r.stderr, /exec: "nope": executable file not found in \$PATH/);
  assert.equal((await cli('ps', '-aq')).stdout, '');
  assert.deepEqual(mountsUnder(d.dataRoot), []);
});

test('a command that cannot be invoked exits 126, as in Docker', async () => {
  const r = await cli('run', '--rm', 'busybox', '/etc/passwd');
  assert.equal(r.code, 126);
  assert.match(r.stderr, /exec: "\/etc\/passwd": permission denied/);
});

test('an unknown image says it could not be found locally and exits 125', async () => {
  const r = await cli('run', 'nope');
  assert.equal(r.code, 125);
  assert.match(r.stderr, /^Unable to find image 'nope:latest' locally\n/);
  assert.match(r.stderr, /Error response from daemon/);
  assert.equal((await cli('ps', '-aq')).stdout, '');
});

test('env, env-file, workdir, user, hostname, entrypoint and labels reach the container', async () => {
  const env = await runCli(['run', '--rm', '-e', 'A=1', '-e', 'FROM_HOST', '-e', 'UNSET_ONE', 'busybox', 'env'], {
    socket: d.socket,
    env: { FROM_HOST: 'yes' },
  });
  assert.match(env.stdout, /^A=1$/m);
  assert.match(env.stdout, /^FROM_HOST=yes$/m);
  assert.doesNotMatch(env.stdout, /UNSET_ONE/);
  assert.match(env.stdout, /^PATH=\/usr\/local\/sbin/m);
  const envFile = path.join(d.dir, 'vars.env');
  writeFileSync(envFile, '# a comment\n\nFILE_A=one\n  FILE_B=two words\nFROM_HOST\n');
  const fromFile = await runCli(['run', '--rm', '--env-file', envFile, '-e', 'FILE_A=override', 'busybox', 'env'], {
    socket: d.socket,
    env: { FROM_HOST: 'yes' },
  });
  assert.match(fromFile.stdout, /^FILE_A=override$/m);
  assert.match(fromFile.stdout, /^FILE_B=two words$/m);
  assert.match(fromFile.stdout, /^FROM_HOST=yes$/m);
  assert.equal((await cli('run', '--rm', '-w', '/tmp/made', 'busybox', 'pwd')).stdout, '/tmp/made\n');
  assert.equal((await cli('run', '--rm', '-u', 'nobody', 'busybox', 'id', '-u')).stdout, '65534\n');
  assert.equal((await cli('run', '--rm', '-u', '1234:5678', 'busybox', 'id')).stdout, 'uid=1234 gid=5678 groups=5678\n');
  assert.equal((await cli('run', '--rm', '--hostname', 'box1', 'busybox', 'hostname')).stdout, 'box1\n');
  assert.equal((await cli('run', '--rm', '--entrypoint', 'echo', 'busybox', 'a', 'b')).stdout, 'a b\n');
  const bad = await cli('run', '--rm', '-u', 'ghost', 'busybox', 'true');
  assert.equal(bad.code, 125);
  assert.match(bad.stderr, /unable to find user ghost/);
  const id = (await cli('create', '-l', 'tier=web', '-l', 'solo', 'busybox')).stdout.trim();
  const labels = await cli('inspect', '--format', '{{json .Config.Labels}}', id);
  assert.equal(labels.stdout, '{"solo":"","tier":"web"}\n');
  assert.equal((await cli('rm', id)).code, 0);
});

test('the image CMD runs when no command is given, and the loopback is up', async () => {
  const r = await cli('run', '--rm', 'busybox', 'sh', '-c', 'ip addr show lo | grep -c "state UP\\|LOOPBACK,UP"');
  assert.equal(r.stdout, '1\n');
  // No command: the image's CMD (sh) runs, reads EOF from its empty stdin, and exits 0.
  const sh = await cli('run', '--rm', 'busybox');
  assert.equal(sh.code, 0, sh.stderr);
});

test('--init runs catatonit as PID 1, where Docker puts its init', async () => {
  const r = await cli('run', '--rm', '--init', 'busybox', 'cat', '/proc/1/cmdline');
  assert.equal(r.stdout.split('\0').join(' '), '/sbin/docker-init -- cat /proc/1/cmdline ');
  // It reaps orphans: here the process they are reparented to is `sleep`, which never waits for children.
  const zombiesUnder = async (extra: string[]) => {
    const id = (await cli('run', '-d', ...extra, 'busybox', 'sh', '-c', '(sleep 0.1 &); exec sleep 5')).stdout.trim();
    await new Promise((r) => setTimeout(r, 700));
    const pid = (await cli('inspect', '--format', '{{.State.Pid}}', id)).stdout.trim();
    const pids = extra.length ? [pid, ...childrenOf(pid)] : [pid];
    const zombies = pids.flatMap(childrenOf).filter((p) => procStat(p)[2] === 'Z').length;
    await cli('rm', '-f', id);
    return zombies;
  };
  assert.equal(await zombiesUnder([]), 1, 'without --init the orphan stays a zombie');
  assert.equal(await zombiesUnder(['--init']), 0);
  assert.equal((await cli('inspect', '--format', '{{.HostConfig.Init}}', (await cli('create', '--init', 'busybox')).stdout.trim())).stdout, 'true\n');
  assert.equal((await cli('container', 'prune', '-f')).code, 0);
});

test('-i pipes stdin to the container and its EOF reaches it', async () => {
  const r = await runCli(['run', '--rm', '-i', 'busybox', 'cat'], { socket: d.socket, input: 'hi\n' });
  assert.equal(r.stdout, 'hi\n');
  assert.equal(r.code, 0, r.stderr);
  assert.equal((await cli('ps', '-aq')).stdout, '');
});

test('a duplicate name is a 409 and the CLI exits 125', async () => {
  assert.equal((await cli('create', '--name', 'dup', 'busybox')).code, 0);
  const r = await cli('run', '--name', 'dup', 'busybox');
  assert.equal(r.code, 125);
  const c = await cli('create', '--name', 'dup', 'busybox');
  assert.equal(c.code, 1);
  assert.match(c.stderr, /^Error response from daemon: Conflict\./);
  assert.match(r.stderr, /Conflict\. The container name "\/dup" is already in use by container "[a-f0-9]{64}"\. You have to remove \(or rename\) that container to be able to reuse that name\./);
  const api = await apiRequest(d.socket, 'POST', '/v1.51/containers/create?name=dup', {
    body: JSON.stringify({ Image: 'busybox' }),
    headers: { 'Content-Type': 'application/json' },
  });
  assert.equal(api.status, 409);
  assert.equal((await cli('rm', 'dup')).code, 0);
});

test('malformed JSON is a 400 with a message, and creates nothing', async () => {
  const r = await apiRequest(d.socket, 'POST', '/v1.51/containers/create', { body: '{"Image": "busybox",', headers: { 'Content-Type': 'application/json' } });
  assert.equal(r.status, 400);
  assert.match(JSON.parse(r.body.toString()).message, /invalid JSON/);
  assert.equal((await cli('ps', '-aq')).stdout, '');
});
