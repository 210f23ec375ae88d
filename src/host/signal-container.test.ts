import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { signalContainerInit } from './signal-container.js';

test('a pid outside the container cgroup is never signalled', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sig-'));
  try {
    const pidFile = path.join(dir, 'pid');
    writeFileSync(pidFile, String(process.pid));
    // Signal 0 would succeed on our own pid: false proves the cgroup check refused it.
    assert.equal(signalContainerInit(pidFile, 'f'.repeat(64), 0), false);
    assert.equal(signalContainerInit(path.join(dir, 'missing'), 'f'.repeat(64), 0), false);
    writeFileSync(pidFile, '1');
    assert.equal(signalContainerInit(pidFile, 'f'.repeat(64), 0), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
