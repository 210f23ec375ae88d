// POST /containers/{id}/pause: freezes every process of the container (cgroup freezer).
import { conflict, internal } from '../errdefs/errors.js';
import { getContainer } from './container-lookup.js';
import type { Daemon } from './daemon.js';

export async function containerPause(d: Daemon, ref: string): Promise<void> {
  const id = getContainer(d, ref).id;
  await d.lock(id, async () => {
    const c = getContainer(d, id);
    // Docker's order: not running, then already paused, then restarting.
    if (!c.state.Running) throw conflict(`Container ${c.id} is not running`);
    if (c.state.Paused) throw conflict(`Container ${c.id} is already paused`);
    if (c.state.Restarting) throw conflict(`Container ${c.id} is restarting, wait until the container is running`);
    try {
      await d.runtime.pause(c.id);
    } catch (err) {
      throw internal(`Cannot pause container ${c.id}: ${(err as Error).message}`, err);
    }
    c.state = { ...c.state, Paused: true, Status: 'paused' };
    await d.containers.save(c, { durable: false });
    d.events.publish('container', 'pause', c.id, { image: c.config.Image ?? '', name: c.name.slice(1) });
  });
}
