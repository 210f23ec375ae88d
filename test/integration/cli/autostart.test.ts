// When no daemon answers on the default socket, the CLI starts berthd and says so once.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../helpers/daemon.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-autostart-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  BERTH_DEFAULT_SOCKET: path.join(dir, 'run', 'berth.sock'),
  BERTH_DATA_ROOT: path.join(dir, 'data'),
};
delete env.BERTH_HOST;
delete env.DOCKER_HOST;

function berth(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(repoRoot, 'bin/berth'), ...args], { env, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

after(async () => {
  const pidFile = path.join(dir, 'run', 'berthd.pid');
  let pid = 0;
  try {
    pid = Number(readFileSync(pidFile, 'utf8'));
  } catch {
    // never started
  }
  if (pid) {
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 50));
      } catch {
        break;
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

test('the first command starts berthd and says so on stderr; the next one does not', async () => {
  const first = await berth('ps');
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, /^berth: no daemon was running; started berthd \(pid \d+, log .*berthd\.log\)\n$/);
  assert.match(first.stdout, /^CONTAINER ID/);
  const second = await berth('ps', '-q');
  assert.equal(second.code, 0);
  assert.equal(second.stderr, '');
});

test('a host given explicitly is never auto-started', async () => {
  const r = await berth('-H', `unix://${path.join(dir, 'nowhere.sock')}`, 'ps');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Cannot connect to the berth daemon at unix:\/\/.*nowhere\.sock\. Is the berth daemon running\?/);
});
