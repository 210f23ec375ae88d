// Starts a created container the way `runc start` does, without forking it:
// runc init blocks opening <state>/exec.fifo for writing until a reader
// appears, writes one byte, then execs the user process. Reading that byte
// and removing the fifo is all `runc start` does for a container with no hooks.
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';

/** Returns false when there is no exec fifo (another runtime layout): use `<runtime> start`. */
export async function startViaExecFifo(stateDir: string, pid: number, timeoutMs = 10_000): Promise<boolean> {
  const fifo = path.join(stateDir, 'exec.fifo');
  let fh;
  try {
    // Non-blocking: a blocking open would hang forever if init died first.
    fh = await fs.open(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  try {
    const buf = Buffer.alloc(16);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        // 0 bytes: init has not reopened its end yet; EAGAIN: opened, not written yet.
        if ((await fh.read(buf, 0, buf.length, null)).bytesRead > 0) break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      }
      if (!alive(pid)) throw new Error('container process is already dead');
      if (Date.now() > deadline) throw new Error('timed out waiting for the container to start');
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    await fh.close();
  }
  await fs.rm(fifo, { force: true });
  return true;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
