// POST /containers/{id}/restart: stop (if running), then start.
import { getContainer } from './container-lookup.js';
import { containerStart } from './container-start.js';
import { containerStop, type StopOptions } from './container-stop.js';
import type { Daemon } from './daemon.js';

export async function containerRestart(d: Daemon, ref: string, opts: StopOptions = {}): Promise<void> {
  const c = getContainer(d, ref);
  if (c.state.Running) await containerStop(d, c.id, opts);
  await containerStart(d, c.id);
  d.events.publish('container', 'restart', c.id, { image: c.config.Image ?? '', name: c.name.slice(1) });
}
