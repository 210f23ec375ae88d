// Starts a created container the way `runc start` does, without forking it:
// runc init blocks opening <state>/exec.fifo for writing until a reader
// appears, writes one byte, then execs the user process. Reading that byte
// and removing the fifo is all `runc start` does for a container with no hooks.
import { closeSync, constants, openSync, readSync, rmSync } from 'node:fs';
import path from 'node:path';

/** Returns false when there is no exec fifo (another runtime layout): use `<runtime> start`. */
export async function startViaExecFifo(
  stateDir: string,
  pid: number,
  timeoutMs = 10_000,
  isAlive: (pid: number) => boolean = alive,
): Promise<boolean> {
  const fifo = path.join(stateDir, 'exec.fifo');
  let fd: number;
  try {
    // Non-blocking: a blocking open would hang forever if init died first. Being non-blocking, the
    // open and the reads are direct calls (microseconds) rather than thread-pool hops (milliseconds).
    fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Liveness first, then the read: a process as short as `true` may write its byte and exit between
      // a read and the check, and the byte is still in the fifo for the read after it.
      const dead = !isAlive(pid);
      if (readByte(fd)) break;
      if (dead) throw new Error('container process is already dead');
      if (Date.now() > deadline) throw new Error('timed out waiting for the container to start');
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    closeSync(fd);
  }
  rmSync(fifo, { force: true });
  return true;
}

/** 0 bytes: init has not opened its end yet; EAGAIN: opened, not written yet. */
function readByte(fd: number): boolean {
  try {
    return readSync(fd, Buffer.alloc(16), 0, 16, null) > 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return false;
    throw err;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
