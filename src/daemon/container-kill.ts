// POST /containers/{id}/kill
import { parseSignal } from '../core/signals.js';
import { BerthError, kindOf } from '../errdefs/errors.js';
import { getContainer } from './container-lookup.js';
import type { Daemon } from './daemon.js';
import { cancelRestart } from './restart-timers.js';
import { resumeIfPaused } from './container-unpause.js';

export async function containerKill(d: Daemon, ref: string, signal = 'SIGKILL'): Promise<void> {
  const sig = parseSignal(signal);
  try {
    const c = getContainer(d, ref);
    if (!c.state.Running) throw new BerthError('Conflict', `Container ${c.id} is not running`);
    if (c.state.Restarting) {
      c.hasBeenManuallyStopped = true;
      await cancelRestart(d, c.id);
      return;
    }
    if (sig === 9) c.hasBeenManuallyStopped = true;
    d.events.publish('container', 'kill', c.id, { image: c.config.Image ?? '', name: c.name.slice(1), signal: String(sig) });
    await d.runtime.kill(c.id, sig);
    // dockerd thaws a paused container for SIGKILL and for its stop signal.
    const stopSignal = c.config.StopSignal ? parseSignal(c.config.StopSignal) : undefined;
    if (sig === 9 || stopSignal === undefined || sig === stopSignal) await resumeIfPaused(d, c.id);
  } catch (err) {
    // Docker wraps every kill failure this way, keeping its status code.
    throw new BerthError(kindOf(err), `Cannot kill container: ${ref}: ${(err as Error).message}`);
  }
}
