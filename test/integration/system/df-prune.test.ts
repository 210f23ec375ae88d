// system df counts what is there; system prune reclaims what it reports.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { importBusybox, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';

let d: BerthdHandle;
const cli = (...args: string[]) => runCli(args, { socket: d.socket });

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => d?.stop());

const row = (out: string, type: string) => out.split('\n').find((l) => l.startsWith(type))!.split(/\s{2,}/);

test('system df: Docker\'s table; a running container is active, a stopped one reclaimable', async () => {
  const empty = await cli('system', 'df');
  assert.match(empty.stdout, /^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE\n/);
  assert.deepEqual(row(empty.stdout, 'Images').slice(0, 3), ['Images', '1', '0']);
  assert.match(row(empty.stdout, 'Images')[4], /^1\.9\d\dMB \(100%\)$/);
  assert.deepEqual(row(empty.stdout, 'Containers'), ['Containers', '0', '0', '0B', '0B']);
  const id = (await cli('run', '-d', 'busybox', 'sh', '-c', 'head -c 300000 /dev/zero > /blob; sleep 1000')).stdout.trim();
  let busy = await cli('system', 'df');
  for (let i = 0; i < 50 && row(busy.stdout, 'Containers')[3] === '0B'; i++) {
    await new Promise((r) => setTimeout(r, 50));
    busy = await cli('system', 'df');
  }
  assert.deepEqual(row(busy.stdout, 'Images').slice(0, 3), ['Images', '1', '1']);
  assert.match(row(busy.stdout, 'Images')[4], /^0B \(0%\)$/);
  const c = row(busy.stdout, 'Containers');
  assert.deepEqual(c.slice(0, 3), ['Containers', '1', '1']);
  assert.match(c[3], /^300kB$/);
  assert.equal(c[4], '0B (0%)');
  assert.equal((await cli('stop', '-t', '0', id)).code, 0);
  const stopped = row((await cli('system', 'df')).stdout, 'Containers');
  assert.deepEqual(stopped.slice(0, 3), ['Containers', '1', '0']);
  assert.equal(stopped[4], '300kB (100%)');
});

test('system prune removes stopped containers and dangling images, reporting the space', async () => {
  const keep = (await cli('run', '-d', 'busybox', 'sleep', '1000')).stdout.trim();
  const r = await cli('system', 'prune', '-f');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Deleted Containers:\n[a-f0-9]{64}\n\n/);
  assert.match(r.stdout, /Total reclaimed space: 300kB\n$/);
  assert.equal((await cli('ps', '-aq', '--no-trunc')).stdout, `${keep}\n`);
  assert.equal((await cli('images', '-q')).stdout.trim().length, 12, 'the image in use stays');
  assert.equal((await cli('rm', '-f', keep)).code, 0);
  const all = await cli('system', 'prune', '-a', '-f');
  assert.match(all.stdout, /Deleted Images:\nuntagged: busybox:latest\ndeleted: sha256:[a-f0-9]{64}\n/);
  assert.equal((await cli('images', '-aq')).stdout, '');
});
