// POST /containers/{id}/resize?h=&w=: sets the TTY's window size through the shim.
import { conflict, invalidArgument } from '../errdefs/errors.js';
import { getContainer } from './container-lookup.js';
import type { Daemon } from './daemon.js';

export async function containerResize(d: Daemon, ref: string, height: number, width: number): Promise<void> {
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 0 || width < 0) {
    throw invalidArgument(`invalid terminal size ${height}x${width}`);
  }
  const c = getContainer(d, ref);
  if (!c.state.Running) throw conflict(`Container ${c.id} is not running`);
  // Without a TTY there is no window to size; Docker accepts and ignores it.
  if (!c.config.Tty) return;
  await d.runtime.resize(c.id, height, width);
}
