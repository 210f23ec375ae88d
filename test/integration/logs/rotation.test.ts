// Log rotation: with --log-opt, by default, across `logs -f`, container restarts and a berthd kill -9.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { FrameDecoder } from '../../../src/api/stdcopy.js';
import { apiRequest, importBusybox, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';
import {
  assertContiguousSuffix,
  conmonArgs,
  containerDir,
  lineNumbers,
  logFiles,
  printer,
  until,
} from './helpers.js';

let d: BerthdHandle;
const cli = (...args: string[]) => runCli(args, { socket: d.socket, timeoutMs: 120_000 });
const MiB = 1024 * 1024;

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => d?.stop());

test('max-size=100k max-file=3: at most 3 files of about 100k; logs gives the newest lines once, in order', async () => {
  // About 5 MB at up to ~1.4 MB/s: a file ends over max-size by what is written while berthd reacts, so the
  // rate is kept to what a loaded test machine still rotates within the bound asserted below.
  const script = printer(40_000, { perPause: 50, pauseUs: 5000 });
  const run = await cli('run', '-d', '--log-opt', 'max-size=100k', '--log-opt', 'max-file=3', 'busybox', 'sh', '-c', script);
  assert.equal(run.code, 0, run.stderr);
  const id = run.stdout.trim();
  // conmon's own bound while berthd is away: max-size + 8 MiB.
  assert.ok(conmonArgs(d, id).join(' ').includes(`--log-size-max ${100_000 + 8 * MiB}`), conmonArgs(d, id).join(' '));
  assert.equal((await cli('wait', id)).stdout, '0\n');
  const files = logFiles(d, id);
  assert.ok(files.length <= 3, `at most 3 files: ${JSON.stringify(files)}`);
  assert.ok(files.some((f) => f.name === 'container.log.2'), `rotated twice at least: ${JSON.stringify(files)}`);
  for (const f of files) assert.ok(f.size < 200_000, `${f.name} holds about max-size: ${f.size} bytes`);
  const inspect = await cli('inspect', '--format', '{{json .HostConfig.LogConfig}}', id);
  assert.deepEqual(JSON.parse(inspect.stdout), { Type: 'json-file', Config: { 'max-file': '3', 'max-size': '100k' } });

  const all = lineNumbers((await cli('logs', id)).stdout);
  assertContiguousSuffix(all, 39_999, 'logs');
  assert.ok(all[0] > 0, 'the oldest lines were rotated out');
  assert.ok(all.length > 1000, `two files and more are read (${all.length} lines)`);
  assert.deepEqual(lineNumbers((await cli('logs', '--tail', '5', id)).stdout), [39_995, 39_996, 39_997, 39_998, 39_999]);
  // --tail larger than what is kept: everything kept, once.
  assert.deepEqual(lineNumbers((await cli('logs', '--tail', '1000000', id)).stdout), all);
  const ts = await cli('logs', '-t', '--tail', '1', id);
  assert.match(ts.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z line 39999 /);
  // --since and --until across the files: from the first kept line's time, everything kept; until it, that line.
  const first = (await cli('logs', '-t', id)).stdout.split('\n')[0];
  const since = first.split(' ')[0];
  assert.deepEqual(lineNumbers((await cli('logs', '--since', since, id)).stdout), all.filter((n) => n >= all[0]));
  // (The API, with the exact nanoseconds: berth's CLI still rounds --until to milliseconds.)
  const [, secs, nanos] = /^(.*:\d\d)\.(\d{9})Z$/.exec(since)!;
  const until = `${Date.parse(`${secs}Z`) / 1000}.${nanos}`;
  const res = await apiRequest(d.socket, 'GET', `/containers/${id}/logs?stdout=1&until=${until}`);
  const untilFirst = lineNumbers(new FrameDecoder().push(res.body).map((f) => f.data.toString()).join(''));
  assert.equal(untilFirst[0], all[0]);
  assert.ok(untilFirst.length < all.length);
  assert.equal((await cli('rm', id)).code, 0);
  assert.equal(existsSync(containerDir(d, id)), false, 'rotated files go with the container');
});

test('without options berth rotates anyway: 20 MiB files, 5 kept, json-file shown as Docker shows it', async () => {
  // About 24 MB of output: more than one default file, less than five, so nothing is dropped.
  const line = 'x'.repeat(100);
  const run = await cli('run', '-d', 'busybox', 'sh', '-c', `yes ${line} | head -n 240000; echo done`);
  assert.equal(run.code, 0, run.stderr);
  const id = run.stdout.trim();
  const logConfig = (await cli('inspect', '--format', '{{json .HostConfig.LogConfig}}', id)).stdout;
  assert.deepEqual(JSON.parse(logConfig), { Type: 'json-file', Config: {} });
  assert.equal((await cli('wait', id)).stdout, '0\n');
  const files = logFiles(d, id);
  const rotated = files.filter((f) => f.name !== 'container.log');
  assert.ok(rotated.length >= 1 && files.length <= 5, `rotated at 20 MiB: ${JSON.stringify(files)}`);
  // The first file is rotated once it reaches 20 MiB; fast output lands a little more in it.
  assert.ok(rotated.every((f) => f.size >= 20 * MiB - 1 * MiB && f.size < 20 * MiB + 8 * MiB), JSON.stringify(files));
  const logs = await cli('logs', id);
  const lines = logs.stdout.split('\n');
  assert.equal(lines.length, 240_002, 'every line once (240000, done, and the final newline)');
  assert.equal(lines[240_000], 'done');
  assert.ok(lines.slice(0, 240_000).every((l) => l === line));
  assert.equal((await cli('rm', id)).code, 0);
});

test('logs -f follows across rotations, nothing lost or repeated, and ends when the container stops', async () => {
  const script = printer(20_000, { before: 'sleep 1; ' });
  const id = (await cli('run', '-d', '--log-opt', 'max-size=50k', '--log-opt', 'max-file=2', 'busybox', 'sh', '-c', script)).stdout.trim();
  const follow = await cli('logs', '-f', id);
  assert.equal(follow.code, 0, follow.stderr);
  assert.deepEqual(lineNumbers(follow.stdout), Array.from({ length: 20_000 }, (_, i) => i));
  assert.ok(logFiles(d, id).some((f) => f.name === 'container.log.1'));
  // The API with follow=1 on the stopped container ends at once.
  const res = await apiRequest(d.socket, 'GET', `/containers/${id}/logs?stdout=1&follow=1&tail=1`);
  assert.equal(res.status, 200);
  assert.equal((await cli('rm', id)).code, 0);
});

test('a container started again appends to its log and goes on rotating', async () => {
  // (A pause first: a container that floods its log in its first milliseconds gets one larger first file.)
  const script = printer(3000, { before: 'usleep 100000; ', perPause: 10, pauseUs: 5000 });
  const run = await cli('run', '-d', '--name', 'again', '--log-opt', 'max-size=50k', '--log-opt', 'max-file=2', 'busybox', 'sh', '-c', script);
  const id = run.stdout.trim();
  assert.equal((await cli('wait', id)).stdout, '0\n');
  assert.equal((await cli('start', id)).code, 0);
  assert.equal((await cli('wait', id)).stdout, '0\n');
  const files = logFiles(d, id);
  assert.ok(files.length <= 2, JSON.stringify(files));
  for (const f of files) assert.ok(f.size < 100_000, JSON.stringify(files));
  // Two runs of 0..2999: the newest lines are the second run's end, in order.
  const nums = lineNumbers((await cli('logs', id)).stdout);
  const lastRun = nums.slice(nums.lastIndexOf(0) >= 0 ? nums.lastIndexOf(0) : 0);
  assertContiguousSuffix(lastRun, 2999, 'second run');
  assert.equal((await cli('rm', id)).code, 0);
});

test('after kill -9 of berthd, a running chatty container keeps being rotated by the next berthd', async () => {
  // About 100 kB/s, for as long as the test needs.
  const script = printer(10_000_000, { perPause: 20, pauseUs: 20_000 });
  const id = (await cli('run', '-d', '--log-opt', 'max-size=50k', '--log-opt', 'max-file=3', 'busybox', 'sh', '-c', script)).stdout.trim();
  await until('a first rotation', () => logFiles(d, id).some((f) => f.name === 'container.log.1'));
  await d.kill9();
  // Nobody rotates now: the file grows past max-size (conmon's backstop is max-size + 8 MiB).
  await until('the log to grow past max-size with berthd down', () => (logFiles(d, id).find((f) => f.name === 'container.log')?.size ?? 0) > 120_000);
  await d.restart();
  await until('the oversized file to be rotated away', () => (logFiles(d, id).find((f) => f.name === 'container.log')?.size ?? 0) < 100_000);
  const first = logFiles(d, id).find((f) => f.name === 'container.log.1')?.ino;
  await until('further rotations', () => {
    const now = logFiles(d, id).find((f) => f.name === 'container.log.1')?.ino;
    return now !== undefined && now !== first;
  });
  const files = logFiles(d, id);
  assert.ok(files.length <= 3, JSON.stringify(files));
  const nums = lineNumbers((await cli('logs', id)).stdout);
  assertContiguousSuffix(nums, nums[nums.length - 1], 'logs after the restart');
  assert.equal((await cli('rm', '-f', id)).code, 0);
});

test('--log-driver none: run still prints, logs is refused as Docker refuses it, no log is left', async () => {
  const run = await cli('run', '--name', 'quiet', '--log-driver', 'none', 'busybox', 'echo', 'hi');
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'hi\n');
  const logs = await cli('logs', 'quiet');
  assert.equal(logs.code, 1);
  assert.equal(logs.stderr, 'Error response from daemon: configured logging driver does not support reading\n');
  const id = (await cli('inspect', '--format', '{{.Id}}', 'quiet')).stdout.trim();
  const res = await apiRequest(d.socket, 'GET', `/containers/${id}/logs?stdout=1`);
  assert.equal(res.status, 501);
  assert.deepEqual(JSON.parse(res.body.toString()), { message: 'configured logging driver does not support reading' });
  await until('the log to be deleted', () => logFiles(d, id).length === 0);
  assert.equal(existsSync(path.join(containerDir(d, id), 'container.log.live')), false);
  assert.equal((await cli('rm', id)).code, 0);
});
