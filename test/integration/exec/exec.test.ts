// berth exec end to end against a real berthd: output and exit codes, stdin, env/workdir/user,
// -d, --privileged, refusals, a container dying under an exec, a real terminal (tmux) for -it,
// and that no exec leaves files or processes behind.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { apiRequest, importBusybox, repoRoot, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';
import { TmuxSession } from '../interactive/tmux.js';

let d: BerthdHandle;
const cli = (args: string[], input?: string) => runCli(args, { socket: d.socket, input, timeoutMs: 30_000 });
const berthLine = () => `${process.execPath} ${path.join(repoRoot, 'dist', 'src', 'cmd', 'berth.js')} -H unix://${d.socket}`;
const sessions: TmuxSession[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function execIds(container: string): Promise<string[] | null> {
  const r = await apiRequest(d.socket, 'GET', `/containers/${container}/json`);
  return (JSON.parse(r.body.toString()) as { ExecIDs: string[] | null }).ExecIDs;
}

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
  const r = await cli(['run', '-d', '--name', 'ex', '-e', 'FROM_CTR=c', '-e', 'B=ctr', '-w', '/srv', 'busybox', 'sleep', '1000']);
  assert.equal(r.code, 0, r.stderr);
});
after(async () => {
  for (const s of sessions) s.kill();
  if (d) await cli(['rm', '-f', ...(await cli(['ps', '-aq'])).stdout.split('\n').filter(Boolean)]);
  await d?.stop();
});

test('output, stderr and the exit code come back as from docker exec', async () => {
  const r = await cli(['exec', 'ex', 'echo', 'hi']);
  assert.equal(r.stdout, 'hi\n');
  assert.equal(r.code, 0, r.stderr);
  const e = await cli(['exec', 'ex', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
  assert.equal(e.stdout, 'out\n');
  assert.equal(e.stderr, 'err\n');
  assert.equal(e.code, 3);
  assert.equal((await cli(['container', 'exec', 'ex', 'true'])).code, 0);
});

test('no output is lost, even from processes that exit at once, and large output arrives whole', async () => {
  for (let i = 0; i < 10; i++) {
    const r = await cli(['exec', 'ex', 'echo', String(i)]);
    assert.equal(r.stdout, `${i}\n`, r.stderr);
  }
  const big = await cli(['exec', 'ex', 'sh', '-c', 'yes abcdefghi | head -c 1000000']);
  assert.equal(big.stdout.length, 1_000_000, big.stderr);
});

test('-i feeds stdin, and its EOF reaches the process', async () => {
  const r = await cli(['exec', '-i', 'ex', 'cat'], 'hi\n');
  assert.equal(r.stdout, 'hi\n');
  assert.equal(r.code, 0, r.stderr);
  const w = await cli(['exec', '-i', 'ex', 'sh', '-c', 'wc -c; echo eof'], 'x'.repeat(99_999) + '\n');
  assert.equal(w.stdout, '100000\neof\n');
  // Without -i the process's stdin is empty.
  assert.equal((await cli(['exec', 'ex', 'cat'], 'ignored\n')).stdout, '');
});

test('env merges the container\'s with -e and --env-file; -w and -u apply; HOME follows the user', async () => {
  const r = await cli(['exec', '-e', 'A=1', '-e', 'B=exec', '-w', '/tmp', '-u', 'nobody', 'ex', 'sh', '-c', 'echo $A $B $FROM_CTR; pwd; id; echo $HOME']);
  assert.equal(r.stdout, '1 exec c\n/tmp\nuid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n/home\n', r.stderr);
  const dflt = await cli(['exec', 'ex', 'sh', '-c', 'pwd; id -u; echo $HOME; echo $HOSTNAME']);
  const hostname = (await cli(['inspect', '--format', '{{.Config.Hostname}}', 'ex'])).stdout;
  assert.equal(dflt.stdout, `/srv\n0\n/root\n${hostname}`);
  const file = path.join(d.dir, 'exec.env');
  writeFileSync(file, '# comment\nFILE_VAR=from-file\n\nB=file\n');
  const f = await cli(['exec', '--env-file', file, '-e', 'B=flag', 'ex', 'sh', '-c', 'echo $FILE_VAR $B']);
  assert.equal(f.stdout, 'from-file flag\n');
  assert.equal((await cli(['exec', '-u', '1234:5678', 'ex', 'id']).then((x) => x.stdout)), 'uid=1234 gid=5678 groups=5678\n');
});

test('commands that cannot run exit 126 with the runtime\'s message, as dockerd 20.10 does', async () => {
  const nf = await cli(['exec', 'ex', 'nosuchcmd']);
  assert.equal(nf.code, 126);
  assert.equal(nf.stdout, 'OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH: unknown\r\n');
  const dir = await cli(['exec', 'ex', '/etc']);
  assert.equal(dir.code, 126);
  assert.match(dir.stdout, /exec: "\/etc": permission denied/);
  const user = await cli(['exec', '-u', 'ghost', 'ex', 'true']);
  assert.equal(user.code, 126);
  assert.equal(user.stdout, 'unable to find user ghost: no matching entries in passwd file\r\n');
  const cwd = await cli(['exec', '-w', '/nonexistent', 'ex', 'pwd']);
  assert.equal(cwd.code, 126);
  assert.match(cwd.stdout, /chdir to cwd \("\/nonexistent"\) set in config.json failed: no such file or directory/);
  // Detached, the same failures are API errors.
  const det = await cli(['exec', '-d', 'ex', 'nosuchcmd']);
  assert.equal(det.code, 1);
  assert.match(det.stderr, /^Error response from daemon: OCI runtime exec failed: .*executable file not found/);
});

test('refusals: no such container, stopped, paused, and a TTY without a terminal', async () => {
  const none = await cli(['exec', 'nosuch', 'true']);
  assert.equal(none.code, 1);
  assert.equal(none.stderr, 'Error response from daemon: No such container: nosuch\n');
  assert.equal((await cli(['create', '--name', 'ex-created', 'busybox', 'true'])).code, 0);
  const id = (await cli(['inspect', '--format', '{{.Id}}', 'ex-created'])).stdout.trim();
  const stopped = await cli(['exec', 'ex-created', 'true']);
  assert.equal(stopped.stderr, `Error response from daemon: Container ${id} is not running\n`);
  assert.equal((await cli(['pause', 'ex'])).code, 0);
  try {
    const p = await cli(['exec', 'ex', 'true']);
    assert.equal(p.code, 1);
    assert.equal(p.stderr, 'Error response from daemon: Container ex is paused, unpause the container before exec\n');
  } finally {
    await cli(['unpause', 'ex']);
  }
  const tty = await cli(['exec', '-it', 'ex', 'true'], '');
  assert.equal(tty.code, 1);
  assert.equal(tty.stderr, 'the input device is not a TTY\n');
  await cli(['rm', 'ex-created']);
});

test('-d returns at once and the command runs on; ExecIDs lists it while it runs', async () => {
  const r = await cli(['exec', '-d', 'ex', 'sh', '-c', 'sleep 1; echo done > /tmp/detached']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  const ids = await execIds('ex');
  assert.equal(ids?.length, 1);
  await until('the detached exec to finish', async () => ((await execIds('ex')) === null ? true : undefined));
  assert.equal((await cli(['exec', 'ex', 'cat', '/tmp/detached'])).stdout, 'done\n');
});

test('--privileged gives the daemon\'s capabilities; without it the container\'s', async () => {
  const bnd = /^CapBnd:\s*(\S+)$/m.exec(readFileSync(`/proc/${d.pid}/status`, 'utf8'))![1];
  const priv = await cli(['exec', '--privileged', 'ex', 'grep', 'CapEff', '/proc/self/status']);
  assert.equal(priv.stdout.trim(), `CapEff:\t${bnd}`, priv.stderr);
  const plain = await cli(['exec', 'ex', 'grep', 'CapEff', '/proc/self/status']);
  const ctr = await cli(['exec', 'ex', 'grep', 'CapEff', '/proc/1/status']);
  assert.match(ctr.stdout, /^CapEff:\t[0-9a-f]+\n$/, ctr.stderr);
  assert.equal(plain.stdout, ctr.stdout, plain.stderr);
  assert.notEqual(plain.stdout, priv.stdout);
});

test('a container that dies during an exec ends the client (137) and the exec', async () => {
  assert.equal((await cli(['run', '-d', '--name', 'ex-dies', 'busybox', 'sleep', '1000'])).code, 0);
  const running = cli(['exec', 'ex-dies', 'sh', '-c', 'echo started; sleep 100']);
  const [id] = await until('the exec to start', async () => (await execIds('ex-dies')) ?? undefined);
  await until('the exec to run', async () => {
    const r = await apiRequest(d.socket, 'GET', `/exec/${id}/json`);
    return (JSON.parse(r.body.toString()) as { Pid: number }).Pid > 0 ? true : undefined;
  });
  assert.equal((await cli(['kill', 'ex-dies'])).code, 0);
  const r = await running;
  assert.equal(r.timedOut, false);
  assert.equal(r.stdout, 'started\n');
  assert.equal(r.code, 137);
  await cli(['rm', 'ex-dies']);
  // Removing the container drops its execs.
  assert.equal((await apiRequest(d.socket, 'GET', `/exec/${id}/json`)).status, 404);
});

test('an exec that ends while -i still has a terminal for stdin ends the client', async () => {
  const s = TmuxSession.start(`${berthLine()} exec -i ex sh -c 'echo early; exit 4'`);
  sessions.push(s);
  await s.waitFor(/early\s+EXIT=4/);
});

test('-it gives a terminal: prompt, size, SIGWINCH, exit code; ctrl-p ctrl-q detaches', async () => {
  const s = TmuxSession.start(`${berthLine()} exec -it ex sh`, { width: 120, height: 40 });
  sessions.push(s);
  await s.waitFor(/^\/srv #/m);
  s.keys('echo $((6*7)); stty size; echo $TERM', 'Enter');
  await s.waitFor(/^42\s*\n40 120\s*\nxterm/m);
  s.resize(100, 30);
  await sleep(300);
  s.keys('stty size; tty', 'Enter');
  await s.waitFor(/^30 100\s*\n\/dev\/pts\/\d+/m);
  s.keys('exit 5', 'Enter');
  await s.waitFor(/EXIT=5/);
  const det = TmuxSession.start(`${berthLine()} exec -it ex sh`);
  sessions.push(det);
  await det.waitFor(/^\/srv #/m);
  det.keys('C-p', 'C-q');
  await det.waitFor(/read escape sequence\s+EXIT=1/);
});

test('no exec leaves files behind: exec dirs, attach links and process specs are gone', async () => {
  const execs = path.join(d.execRoot, 'execs');
  const socks = path.join(d.execRoot, 'socks');
  const leftovers = () => {
    const dirs = (() => {
      try {
        return readdirSync(execs);
      } catch {
        return [];
      }
    })();
    const links = readdirSync(socks).filter((n) => readlinkSync(path.join(socks, n)).startsWith(`${execs}/`));
    return [...dirs, ...links];
  };
  // The detached shell of the previous test is still running in "ex": stop it with its container.
  await cli(['rm', '-f', 'ex']);
  const left = await until('exec files to go', async () => (leftovers().length === 0 ? [] : undefined)).catch(() => leftovers());
  assert.deepEqual(left, []);
});
