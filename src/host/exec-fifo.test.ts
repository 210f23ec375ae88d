import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, constants, existsSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { startViaExecFifo } from './exec-fifo.js';

/** A state dir with an exec.fifo, and a write end held open (O_RDWR does not wait for a reader). */
function fifoDir(): { dir: string; writer: number; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-fifo-'));
  execFileSync('mkfifo', [path.join(dir, 'exec.fifo')]);
  const writer = openSync(path.join(dir, 'exec.fifo'), constants.O_RDWR | constants.O_NONBLOCK);
  return { dir, writer, cleanup: () => (closeSync(writer), rmSync(dir, { recursive: true, force: true })) };
}

test('reads the byte init writes and removes the fifo, as runc start does', async () => {
  const f = fifoDir();
  try {
    writeSync(f.writer, '0');
    assert.equal(await startViaExecFifo(f.dir, 1, 1000, () => true), true);
    assert.equal(existsSync(path.join(f.dir, 'exec.fifo')), false);
  } finally {
    f.cleanup();
  }
});

test('a process that wrote its byte and exited at once still counts as started', async () => {
  const f = fifoDir();
  try {
    // The race of a short command: the byte lands and the process is gone by the liveness check.
    const wroteThenDied = () => (writeSync(f.writer, '0'), false);
    assert.equal(await startViaExecFifo(f.dir, 1, 1000, wroteThenDied), true);
  } finally {
    f.cleanup();
  }
});

test('a process that died without writing is reported', async () => {
  const f = fifoDir();
  try {
    await assert.rejects(startViaExecFifo(f.dir, 1, 1000, () => false), /container process is already dead/);
  } finally {
    f.cleanup();
  }
});

test('no fifo: false, so the caller runs `runc start`', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-fifo-'));
  try {
    assert.equal(await startViaExecFifo(dir, 1, 1000, () => true), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
