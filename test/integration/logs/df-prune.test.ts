// system df counts container logs (current and rotated), and prune reclaims exactly what df calls reclaimable.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiRequest, importBusybox, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';
import { humanSize } from '../../../src/api/units.js';
import { logBytesOnDisk, logFiles, printer, until } from './helpers.js';

let d: BerthdHandle;
const cli = (...args: string[]) => runCli(args, { socket: d.socket, timeoutMs: 120_000 });

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => d?.stop());

interface DfContainer {
  Id: string;
  State: string;
  SizeRw: number;
  SizeLogs: number;
}

async function df(): Promise<{ Containers: DfContainer[]; LogsSize: number }> {
  const res = await apiRequest(d.socket, 'GET', '/system/df');
  assert.equal(res.status, 200);
  return JSON.parse(res.body.toString()) as { Containers: DfContainer[]; LogsSize: number };
}

test('df counts log bytes per container and in total; prune reclaims exactly the reclaimable bytes', async () => {
  // Stopped, with rotated files; stopped, with a small log and a written file; running, with a log.
  const rotated = (await cli('run', '-d', '--log-opt', 'max-size=50k', '--log-opt', 'max-file=3', 'busybox', 'sh', '-c', printer(5000))).stdout.trim();
  const small = (await cli('run', '-d', 'busybox', 'sh', '-c', 'echo hello; head -c 10000 /dev/zero > /blob')).stdout.trim();
  const running = (await cli('run', '-d', 'busybox', 'sh', '-c', 'echo up; sleep 1000')).stdout.trim();
  assert.equal((await cli('wait', rotated)).stdout, '0\n');
  assert.equal((await cli('wait', small)).stdout, '0\n');
  await until('the running container to log', async () => (await cli('logs', running)).stdout === 'up\n');
  assert.ok(logFiles(d, rotated).length > 1, 'rotated');

  const before = await df();
  let total = 0;
  for (const id of [rotated, small, running]) {
    const c = before.Containers.find((x) => x.Id === id)!;
    assert.equal(c.SizeLogs, logBytesOnDisk(d, id), `SizeLogs of ${id.slice(0, 12)} is its files on disk`);
    total += c.SizeLogs;
  }
  assert.equal(before.LogsSize, total);
  assert.ok(before.Containers.find((x) => x.Id === rotated)!.SizeLogs > 60_000, 'more than one file counted');

  const active = (c: DfContainer) => /running|paused|restarting/.test(c.State);
  const size = before.Containers.reduce((n, c) => n + c.SizeRw + c.SizeLogs, 0);
  const reclaimable = before.Containers.filter((c) => !active(c)).reduce((n, c) => n + c.SizeRw + c.SizeLogs, 0);
  const row = (await cli('system', 'df')).stdout.split('\n').find((l) => l.startsWith('Containers'))!.split(/\s{2,}/);
  assert.deepEqual(row.slice(0, 3), ['Containers', '3', '1']);
  assert.equal(row[3], humanSize(size, 4));
  assert.equal(row[4], `${humanSize(reclaimable, 4)} (${Math.floor((reclaimable * 100) / size)}%)`);

  const verbose = (await cli('system', 'df', '-v')).stdout;
  assert.match(verbose, /^Images space usage:\n\nREPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE\s+SHARED SIZE\s+UNIQUE SIZE\s+CONTAINERS\n/);
  assert.match(verbose, /\nContainers space usage:\n\nCONTAINER ID\s+IMAGE\s+COMMAND\s+LOCAL VOLUMES\s+SIZE\s+LOGS\s+CREATED\s+STATUS\s+NAMES\n/);
  // SIZE is the writable layer and the logs; LOGS the logs alone.
  const r = before.Containers.find((x) => x.Id === rotated)!;
  const vrow = verbose.split('\n').find((l) => l.startsWith(rotated.slice(0, 12)))!;
  assert.match(vrow, new RegExp(`\\s${humanSize(r.SizeRw + r.SizeLogs).replace('.', '\\.')}\\s+${humanSize(r.SizeLogs).replace('.', '\\.')}\\s`));
  assert.match(verbose, /\nLocal Volumes space usage:\n\nVOLUME NAME\s+LINKS\s+SIZE\n\nBuild cache usage: 0B\n\nCACHE ID\s+CACHE TYPE\s+SIZE\s+CREATED\s+LAST USED\s+USAGE\s+SHARED\n$/);

  const prune = await apiRequest(d.socket, 'POST', '/containers/prune');
  assert.equal(prune.status, 200);
  const result = JSON.parse(prune.body.toString()) as { ContainersDeleted: string[]; SpaceReclaimed: number };
  assert.deepEqual(result.ContainersDeleted.sort(), [rotated, small].sort());
  assert.equal(result.SpaceReclaimed, reclaimable, 'prune reclaims what df called reclaimable');
  const after = await df();
  assert.equal(after.LogsSize, after.Containers.find((x) => x.Id === running)!.SizeLogs);
  assert.equal((await cli('rm', '-f', running)).code, 0);
});

test('system prune reports the log bytes it deletes', async () => {
  const id = (await cli('run', '-d', 'busybox', 'sh', '-c', printer(2000, { perPause: 1000 }))).stdout.trim();
  assert.equal((await cli('wait', id)).stdout, '0\n');
  assert.ok(logBytesOnDisk(d, id) > 100_000);
  const usage = await df();
  assert.equal(usage.Containers.find((x) => x.Id === id)!.SizeLogs, logBytesOnDisk(d, id));
  // Every stopped container goes, with its logs; busybox is tagged, so no image is pruned.
  const stopped = usage.Containers.filter((c) => !/running|paused|restarting/.test(c.State));
  const expected = stopped.reduce((n, c) => n + c.SizeRw + c.SizeLogs, 0);
  const r = await cli('system', 'prune', '-f');
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.endsWith(`Total reclaimed space: ${humanSize(expected, 4)}\n`), r.stdout);
});
