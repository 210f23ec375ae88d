// POST /containers/{id}/kill
import { parseSignal } from '../core/signals.js';
import { conflict } from '../errdefs/errors.js';
import { getContainer } from './container-lookup.js';
import type { Daemon } from './daemon.js';

export async function containerKill(d: Daemon, ref: string, signal = 'SIGKILL'): Promise<void> {
  const sig = parseSignal(signal);
  const c = getContainer(d, ref);
  if (!c.state.Running) {
    throw conflict(`Cannot kill container: ${ref}: Container ${c.id} is not running`);
  }
  if (sig === 9) c.hasBeenManuallyStopped = true;
  d.events.publish('container', 'kill', c.id, { image: c.config.Image ?? '', name: c.name.slice(1), signal: String(sig) });
  await d.runtime.kill(c.id, sig);
}
