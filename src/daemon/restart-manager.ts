// Restart policies at run time: what happens when a back-off ends, starts at berthd start-up, and the
// reset Docker does when the user starts a container. Timers live in restart-timers.ts.
import type { ContainerRecord } from '../core/containers.js';
import { removeLocked } from './container-delete.js';
import { startLocked } from './container-start.js';
import type { Daemon } from './daemon.js';
import { asPolicyStart, isPolicyStart, resetRestartState, setRestartRunner, settleExited } from './restart-timers.js';

const installed = new WeakSet<Daemon>();

/** Registers the restart runner and follows events: a start the user asked for resets the back-off and RestartCount. */
export function installRestartManager(d: Daemon): void {
  if (installed.has(d)) return;
  installed.add(d);
  setRestartRunner(d, (id) => restartNow(d, id));
  d.events.subscribe((e) => {
    if (e.Type !== 'container') return;
    if (e.Action === 'destroy') resetRestartState(d, e.Actor.ID);
    if (e.Action !== 'start' || isPolicyStart(e.Actor.ID)) return;
    resetRestartState(d, e.Actor.ID);
    const c = d.containers.get(e.Actor.ID);
    // In memory only: the next state save (at the latest the exit) persists it.
    if (c) c.restartCount = 0;
  });
}

/** The end of a back-off; the caller holds the container's lock. */
async function restartNow(d: Daemon, id: string): Promise<void> {
  const c = d.containers.get(id);
  if (!c || !c.state.Restarting) return;
  if (c.hasBeenManuallyStopped) {
    await settleExited(d, c);
    return;
  }
  try {
    await startByPolicy(d, c);
  } catch {
    // As in Docker: a restart that fails to start leaves the container exited (and removes AutoRemove ones).
    if (!d.containers.get(id)) return;
    if (c.hostConfig.AutoRemove) await removeLocked(d, c);
    else await settleExited(d, c);
  }
}

/** startLocked for a start the policy makes (a restart, or at berthd start-up); the caller holds the lock. */
export async function startByPolicy(d: Daemon, c: ContainerRecord): Promise<void> {
  await asPolicyStart(c.id, () => startLocked(d, c));
}
