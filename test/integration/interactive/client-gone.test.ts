// A client that goes away mid-stream (`berth run … | head -1`): the CLI ends as a SIGPIPE'd docker CLI does,
// and berthd, whose hijacked connection is reset under it, goes on serving.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { apiRequest, BERTH, importBusybox, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';

let d: BerthdHandle;

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => d?.stop());

test('a reader that stops early: the CLI exits 141 quietly, berthd stays up, the --rm container goes', async () => {
  for (const cmd of [`run --rm busybox seq 1 300000`, `run --rm -t busybox seq 1 300000`]) {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BERTH}" ${cmd} | head -1; echo "status=\${PIPESTATUS[0]}" >&2`], {
      env: { ...process.env, BERTH_HOST: `unix://${d.socket}` },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.stdout, '1\n'.replace('\n', cmd.includes('-t') ? '\r\n' : '\n'));
    assert.match(r.stderr, /status=141\n$/);
    assert.doesNotMatch(r.stderr, /EPIPE|node:events|at /, 'no stack trace');
    assert.equal((await apiRequest(d.socket, 'GET', '/_ping')).status, 200, 'berthd still answers');
  }
  // The containers ran to their end and were removed.
  let left = '';
  for (let i = 0; i < 100; i++) {
    left = (await runCli(['ps', '-aq'], { socket: d.socket })).stdout;
    if (left === '') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(left, '');
});
