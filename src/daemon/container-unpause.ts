// POST /containers/{id}/unpause: thaws a paused container.
import { conflict, internal } from '../errdefs/errors.js';
import { getContainer } from './container-lookup.js';
import type { Daemon } from './daemon.js';

export async function containerUnpause(d: Daemon, ref: string): Promise<void> {
  const id = getContainer(d, ref).id;
  await d.lock(id, async () => {
    const c = getContainer(d, id);
    if (!c.state.Paused) throw conflict(`Container ${c.id} is not paused`);
    try {
      await d.runtime.resume(c.id);
    } catch (err) {
      throw internal(`Cannot unpause container ${c.id}: ${(err as Error).message}`, err);
    }
    await markThawed(d, c.id);
    d.events.publish('container', 'unpause', c.id, { image: c.config.Image ?? '', name: c.name.slice(1) });
  });
}

/**
 * For kill/stop of a paused container, as Docker's killWithSignal does: after sending SIGKILL (or the
 * container's stop signal) thaw it so the signal is delivered (a cgroup v1 freezer holds even SIGKILL).
 * Errors are ignored (the container may be gone already). Publishes `unpause`, as dockerd does there.
 */
export async function resumeIfPaused(d: Daemon, id: string): Promise<void> {
  const c = d.containers.get(id);
  if (!c?.state.Paused) return;
  try {
    await d.runtime.resume(id);
  } catch {
    return;
  }
  await markThawed(d, id);
  d.events.publish('container', 'unpause', id, { image: c.config.Image ?? '', name: c.name.slice(1) });
}

async function markThawed(d: Daemon, id: string): Promise<void> {
  const c = d.containers.get(id);
  if (!c || !c.state.Paused) return;
  c.state = { ...c.state, Paused: false, Status: c.state.Running ? 'running' : c.state.Status };
  await d.containers.save(c, { durable: false });
}
