// The rotator and the reader against a stand-in for conmon: it appends k8s-file lines, and on a reopen
// request (or at its own --log-size-max) replaces the log with an empty file as conmon 2.1 does.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emptyState, type ContainerRecord, type ContainerStore } from '../core/containers.js';
import { EventBus } from '../core/events.js';
import type { Runtime } from '../core/runtime.js';
import type { Daemon } from './daemon.js';
import { listLogFiles, logBytes } from './log-files.js';
import { readLog } from './log-reader.js';
import { LogRotator } from './log-rotator.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'berth-logrot-'));
after(() => rmSync(root, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** conmon's k8s-file writer, as far as rotation is concerned. */
class FakeConmon {
  private fd: number;
  /** Bytes since the last truncation: conmon's static bytes_written, which a reopen does not reset. */
  private counted = 0;
  replaced = 0;
  constructor(private readonly log: string, private readonly sizeMax = 0) {
    this.fd = openSync(log, 'a');
  }
  line(text: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    const buf = Buffer.from(`${new Date().toISOString()} ${stream} F ${text}\n`);
    if (this.sizeMax > 0 && this.counted + buf.length > this.sizeMax) {
      this.counted = 0;
      this.replaced++;
      this.reopen();
    }
    writeSync(this.fd, buf);
    this.counted += buf.length;
  }
  reopen(): void {
    closeSync(this.fd);
    this.fd = openSync(`${this.log}.tmp`, 'w');
    renameSync(`${this.log}.tmp`, this.log);
  }
  close(): void {
    closeSync(this.fd);
  }
}

function setup(name: string, logConfig: { Type: string; Config: Record<string, string> }, sizeMax = 0) {
  const dir = path.join(root, name);
  mkdirSync(dir);
  const id = name;
  const record = { id, name: `/${name}`, hostConfig: { LogConfig: logConfig }, config: {}, state: { ...emptyState(), Running: true } } as unknown as ContainerRecord;
  const log = path.join(dir, 'container.log');
  const conmon = new FakeConmon(log, sizeMax);
  const store = {
    load: async () => {},
    get: (cid: string) => (cid === id ? record : undefined),
    list: () => [record],
    save: async () => {},
    delete: async () => {},
    dir: () => dir,
  } satisfies ContainerStore;
  const runtime = { reopenLog: async () => conmon.reopen() } as unknown as Runtime;
  const d = { containers: store, events: new EventBus(), runtime } as unknown as Daemon;
  const rotator = new LogRotator(d);
  return { d, rotator, conmon, log, dir, record };
}

/** Writes `total` numbered lines in bursts, giving the rotator time between them. */
async function writeLines(conmon: FakeConmon, from: number, total: number, burst = 50) {
  for (let i = from; i < from + total; i++) {
    conmon.line(`line ${i} ${'x'.repeat(60)}`);
    if (i % burst === burst - 1) await sleep(2);
  }
}

async function readAll(log: string): Promise<number[]> {
  const out: number[] = [];
  for await (const e of readLog(log)) out.push(Number(e.text.split(' ')[1]));
  return out;
}

function assertContiguousSuffix(nums: number[], last: number) {
  assert.ok(nums.length > 0, 'something is read');
  assert.equal(nums[nums.length - 1], last, 'ends with the newest line');
  for (let i = 1; i < nums.length; i++) assert.equal(nums[i], nums[i - 1] + 1, `in order, nothing missing or repeated at ${i}`);
}

async function until(what: string, fn: () => boolean) {
  for (let i = 0; i < 400 && !fn(); i++) await sleep(10);
  assert.ok(fn(), what);
}

test('rotates at max-size, keeps max-file files, and the reader sees the newest lines once, in order', async () => {
  const { rotator, conmon, log } = setup('basic', { Type: 'json-file', Config: { 'max-size': '20k', 'max-file': '3' } });
  rotator.adoptRunning();
  await writeLines(conmon, 0, 3000);
  await until('a rotation settles after the writes', () => statSync(log, { throwIfNoEntry: false })?.size !== undefined && statSync(log).size < 20_000);
  rotator.close();
  conmon.close();
  const files = listLogFiles(log);
  assert.ok(files.length <= 3, `at most 3 files: ${readdirSync(path.dirname(log)).join(' ')}`);
  assert.ok(rotator.rotations >= 5, `rotated (${rotator.rotations})`);
  // Each file holds about max-size: the rotator looks more often as the file nears it.
  for (const f of files) assert.ok(f.size < 2 * 20_000, `${f.path}: ${f.size} bytes`);
  assertContiguousSuffix(await readAll(log), 2999);
  assert.equal(logBytes(log), files.reduce((n, f) => n + f.size, 0));
});

test('a file conmon replaces on its own (its backstop) is kept as a rotated one, not lost', async () => {
  // conmon's count is not reset by the reopens berthd asks for, so its backstop (here 200k, well above the
  // 20k max-size, as backstopFor makes it) fires between them: both kinds of replacement interleave.
  const { rotator, conmon, log } = setup('backstop', { Type: 'json-file', Config: { 'max-size': '20k', 'max-file': '4' } }, 200_000);
  rotator.adoptRunning();
  await writeLines(conmon, 0, 10_000, 20);
  await sleep(100);
  rotator.close();
  conmon.close();
  assert.ok(conmon.replaced >= 3, `conmon replaced the file itself (${conmon.replaced})`);
  assert.ok(listLogFiles(log).length <= 4);
  assertContiguousSuffix(await readAll(log), 9999);
});

test('max-file 1: a full file is dropped', async () => {
  const { rotator, conmon, log, dir } = setup('one', { Type: 'json-file', Config: { 'max-size': '10k' } });
  rotator.adoptRunning();
  await writeLines(conmon, 0, 1000);
  await sleep(50);
  // The last rotation may have left an empty file: end with a few lines Docker would keep too.
  await writeLines(conmon, 1000, 5);
  await sleep(50);
  rotator.close();
  conmon.close();
  assert.deepEqual(readdirSync(dir).filter((n) => /\.\d+$/.test(n)), [], 'no rotated files');
  assertContiguousSuffix(await readAll(log), 1004);
});

test('following goes on across rotations and ends when the writer stops', async () => {
  const { rotator, conmon, log } = setup('follow', { Type: 'json-file', Config: { 'max-size': '10k', 'max-file': '2' } });
  rotator.adoptRunning();
  conmon.line('line 0 start');
  let stop!: () => void;
  const stopped = new Promise<void>((r) => (stop = r));
  const seen: number[] = [];
  const reading = (async () => {
    for await (const e of readLog(log, { follow: true, stopped })) seen.push(Number(e.text.split(' ')[1]));
  })();
  await writeLines(conmon, 1, 2999, 20);
  await sleep(50);
  stop();
  await reading;
  rotator.close();
  conmon.close();
  assert.ok(rotator.rotations >= 10, `rotated (${rotator.rotations})`);
  assert.deepEqual(seen, Array.from({ length: 3000 }, (_, i) => i), 'every line once, in order, across every rotation');
});

test('tail reads the newest lines across files, and a partial line counts once', async () => {
  const { rotator, conmon, log } = setup('tail', { Type: 'json-file', Config: { 'max-size': '5k', 'max-file': '5' } });
  rotator.adoptRunning();
  await writeLines(conmon, 0, 500);
  await sleep(50);
  rotator.close();
  conmon.close();
  const last: string[] = [];
  for await (const e of readLog(log, { tail: 150 })) last.push(e.text.split(' ')[1]);
  assert.deepEqual(last, Array.from({ length: 150 }, (_, i) => String(350 + i)));
  const none: unknown[] = [];
  for await (const e of readLog(log, { tail: 0 })) none.push(e);
  assert.deepEqual(none, []);
});

test('a container stopped with none as its driver leaves no log', async () => {
  const { d, rotator, conmon, log, record } = setup('none', { Type: 'none', Config: {} });
  rotator.listen();
  rotator.adoptRunning();
  conmon.line('line 0 hi');
  conmon.close();
  record.state = { ...record.state, Running: false };
  d.events.publish('container', 'die', record.id);
  await until('the log is gone', () => listLogFiles(log).length === 0);
  rotator.close();
});
