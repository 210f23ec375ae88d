// POST /containers/{id}/stop: the stop signal, then SIGKILL after the timeout.
import { parseSignal } from '../core/signals.js';
import { notModified } from '../errdefs/errors.js';
import { getContainer } from './container-lookup.js';
import { nextEvent } from './container-events.js';
import type { Daemon } from './daemon.js';
import { cancelRestart } from './restart-timers.js';
import { resumeIfPaused } from './container-unpause.js';

export interface StopOptions {
  signal?: string;
  /** Seconds; negative waits forever. */
  timeout?: number;
}

export async function containerStop(d: Daemon, ref: string, opts: StopOptions = {}): Promise<void> {
  const c = getContainer(d, ref);
  if (!c.state.Running) throw notModified();
  c.hasBeenManuallyStopped = true;
  // Waiting to restart: there is no process to signal, only the pending restart to cancel.
  if (c.state.Restarting) {
    await cancelRestart(d, c.id);
    return;
  }
  const signal = parseSignal(opts.signal || c.config.StopSignal || 'SIGTERM');
  const timeout = opts.timeout ?? c.config.StopTimeout ?? 10;
  const died = nextEvent(d, c.id, ['die']);
  const attrs = { image: c.config.Image ?? '', name: c.name.slice(1) };
  // Docker's sequence: kill (the stop signal), kill (9) if the timeout runs out, die, stop.
  const kill = (sig: number) => {
    d.events.publish('container', 'kill', c.id, { ...attrs, signal: String(sig) });
    return d.runtime.kill(c.id, sig).catch(() => {});
  };
  try {
    await kill(signal);
    // A frozen process cannot act on its stop signal: dockerd thaws it at once.
    await resumeIfPaused(d, c.id);
    if (timeout >= 0) {
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeout * 1000)));
      const first = await Promise.race([died.promise, expired]);
      clearTimeout(timer);
      if (first === 'timeout') await kill(9);
    }
    await died.promise;
  } finally {
    died.cancel();
  }
  d.events.publish('container', 'stop', c.id, attrs);
}

/** Sends `signal` and waits for the container to die (used by rm -f). */
export async function killAndWait(d: Daemon, id: string, signal: number): Promise<void> {
  const c = d.containers.get(id);
  if (!c?.state.Running) return;
  if (c.state.Restarting) {
    await cancelRestart(d, id);
    return;
  }
  const died = nextEvent(d, id, ['die']);
  d.events.publish('container', 'kill', id, { image: c.config.Image ?? '', name: c.name.slice(1), signal: String(signal) });
  await d.runtime.kill(id, signal).catch(() => {});
  await resumeIfPaused(d, id);
  await died.promise;
}
