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
