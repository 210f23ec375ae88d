// POST /exec/{id}/resize: the window size of a TTY exec, through its conmon's ctl fifo.
import { internal } from '../errdefs/errors.js';
import type { Daemon } from './daemon.js';
import { execContainer } from './exec-container.js';
import { execStore } from './exec-store.js';

/** dockerd waits this long for an exec that was not started yet. */
const START_WAIT_MS = 10_000;

export async function execResize(d: Daemon, id: string, height: number, width: number): Promise<void> {
  const store = execStore(d);
  const r = store.get(id);
  execContainer(d, r);
  if (!(await store.waitStarted(id, START_WAIT_MS))) throw internal('timeout waiting for exec session ready');
  // Like dockerd, a resize of an exec without a TTY, or one that has ended, is not an error.
  if (!r.config.tty || !r.running) return;
  await d.runtime.resize(r.id, height, width).catch(() => {});
}
