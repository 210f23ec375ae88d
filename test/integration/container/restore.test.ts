// kill -9 of berthd while containers run: they keep running and are re-adopted.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { importBusybox, mountsUnder, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';

let d: BerthdHandle;
const cli = (...args: string[]) => runCli(args, { socket: d.socket });

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => d?.stop());

test('containers survive kill -9 of berthd and are stopped cleanly after restart', async () => {
  const keep = (await cli('run', '-d', '--name', 'keep', 'busybox', 'sleep', '1000')).stdout.trim();
  const quick = (await cli('run', '-d', '--name', 'quick', 'busybox', 'sh', '-c', 'sleep 1; exit 7')).stdout.trim();
  const pid = Number((await cli('inspect', '--format', '{{.State.Pid}}', keep)).stdout);
  assert.ok(pid > 0);
  await d.kill9();
  // While berthd is down, "quick" exits: its exit code must still be recorded.
  await new Promise((r) => setTimeout(r, 1500));
  process.kill(pid, 0); // still alive: throws if not
  await d.restart();
  assert.equal((await cli('inspect', '--format', '{{.State.Running}} {{.State.Pid}}', 'keep')).stdout, `true ${pid}\n`);
  assert.equal((await cli('inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', 'quick')).stdout, 'exited 7\n');
  assert.match((await cli('ps')).stdout, /keep\n$/);
  assert.equal((await cli('stop', '-t', '1', 'keep')).code, 0);
  // sleep as PID 1 ignores SIGTERM, so stop ends with SIGKILL, as in Docker.
  assert.equal((await cli('inspect', '--format', '{{.State.ExitCode}}', 'keep')).stdout, '137\n');
  assert.equal((await cli('rm', keep, quick)).code, 0);
  assert.deepEqual(mountsUnder(d.dataRoot), []);
});

test('a restart removes runtime leftovers of containers it does not run', async () => {
  const { execFileSync } = await import('node:child_process');
  const { mkdirSync, writeFileSync, existsSync, rmSync } = await import('node:fs');
  const path = await import('node:path');
  const { busyboxRootfs } = await import('../../helpers/daemon.js');
  const bundle = path.join(d.dir, 'orphan-bundle');
  mkdirSync(path.join(bundle, 'rootfs'), { recursive: true });
  execFileSync('tar', ['-xf', (await busyboxRootfs()).file, '-C', path.join(bundle, 'rootfs')]);
  execFileSync('runc', ['spec'], { cwd: bundle });
  const spec = JSON.parse(execFileSync('cat', [path.join(bundle, 'config.json')]).toString());
  spec.process.terminal = false;
  spec.process.args = ['sleep', '1000'];
  writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(spec));
  const created = (await cli('create', 'busybox')).stdout.trim();
  await d.kill9();
  const runcRoot = path.join(d.execRoot, 'runc');
  // As if berthd died between `runc create` and recording the start: the record says "created".
  execFileSync('runc', ['--root', runcRoot, 'create', '-b', bundle, created], { stdio: 'ignore' });
  execFileSync('runc', ['--root', runcRoot, 'create', '-b', bundle, 'orphan1'], { stdio: 'ignore' });
  writeFileSync(path.join(d.execRoot, 'exits', 'gone1'), '0');
  await d.restart();
  assert.equal(execFileSync('runc', ['--root', runcRoot, 'list', '-q']).toString(), '');
  assert.equal((await cli('inspect', '--format', '{{.State.Status}}', created)).stdout, 'created\n');
  assert.equal((await cli('rm', created)).code, 0);
  assert.equal(existsSync(path.join(d.execRoot, 'exits', 'gone1')), false);
  rmSync(bundle, { recursive: true, force: true });
});

test('a record whose snapshot was never written (a create cut short) is dropped on restart', async () => {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const path = await import('node:path');
  const id = (await cli('create', 'busybox')).stdout.trim();
  await d.kill9();
  const metaFile = path.join(d.dataRoot, 'snapshots', 'metadata.json');
  const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
  delete meta.snapshots[id];
  writeFileSync(metaFile, JSON.stringify(meta));
  await d.restart();
  assert.equal((await cli('ps', '-aq', '--no-trunc')).stdout, '');
  assert.equal((await cli('run', '--rm', 'busybox', 'true')).code, 0);
});

test('a restart unmounts the temporary root an interrupted export or cp left mounted', async () => {
  const { mkdirSync, existsSync } = await import('node:fs');
  const path = await import('node:path');
  const { native } = await import('../../../src/host/native.js');
  const id = (await cli('create', 'busybox', 'true')).stdout.trim();
  // What `export` of a stopped container mounts, as a daemon killed in the middle of it leaves it.
  const leftover = path.join(d.dataRoot, 'containers', id, '.fs-interrupted');
  mkdirSync(leftover);
  native().mount('tmpfs', leftover, 'tmpfs', 0, 'size=1m');
  await d.kill9();
  await d.restart();
  assert.deepEqual(mountsUnder(d.dataRoot), []);
  assert.equal(existsSync(leftover), false);
  assert.equal((await cli('export', id)).code, 0, 'the container still exports');
  assert.equal((await cli('rm', id)).code, 0);
});

test('a restart removes --rm containers that are not running, as dockerd does', async () => {
  const never = (await cli('create', '--rm', 'busybox', 'true')).stdout.trim();
  const kept = (await cli('create', 'busybox', 'true')).stdout.trim();
  await d.kill9();
  await d.restart();
  assert.equal((await cli('ps', '-aq', '--no-trunc')).stdout, `${kept}\n`, `${never} should be gone`);
  assert.equal((await cli('rm', kept)).code, 0);
  assert.deepEqual(mountsUnder(d.dataRoot), []);
});
