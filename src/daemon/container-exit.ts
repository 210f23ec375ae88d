// What happens when conmon reports that a container's process exited.
import type { ExitEvent } from '../core/runtime.js';
import { shouldRestart } from '../core/restart-policy.js';
import { unmount } from '../host/mount.js';
import { containerFiles } from './container-files.js';
import { removeLocked } from './container-delete.js';
import type { Daemon } from './daemon.js';
import { scheduleRestart } from './restart-timers.js';

export async function containerExited(d: Daemon, e: ExitEvent): Promise<void> {
  await d.lock(e.id, async () => {
    const c = d.containers.get(e.id);
    if (!c || !c.state.Running || c.state.Restarting) return;
    unmount(containerFiles(d, c.id).rootfs);
    const restart =
      !c.hostConfig.AutoRemove &&
      shouldRestart({
        policy: c.hostConfig.RestartPolicy,
        exitCode: e.exitCode,
        manuallyStopped: c.hasBeenManuallyStopped,
        restartCount: c.restartCount,
      });
    const ranMs = Math.max(0, e.exitedAt.getTime() - Date.parse(c.state.StartedAt));
    // As in Docker, a container waiting to be restarted still counts as running (Restarting: true).
    c.state = {
      ...c.state,
      Status: restart ? 'restarting' : 'exited',
      Running: restart,
      Paused: false,
      Restarting: restart,
      Pid: 0,
      ExitCode: e.exitCode,
      OOMKilled: e.oomKilled,
      FinishedAt: e.exitedAt.toISOString(),
    };
    if (restart) c.restartCount++;
    // A container removed on exit needs no exited state on disk: if we crash
    // before removal, the exit file (kept until release) replays this.
    if (!c.hostConfig.AutoRemove) await d.containers.save(c, { durable: false });
    d.events.publish('container', 'die', c.id, {
      exitCode: String(e.exitCode),
      image: c.config.Image ?? '',
      name: c.name.slice(1),
    });
    if (c.hostConfig.AutoRemove) await removeLocked(d, c);
    d.runtime.release(c.id);
    if (restart) scheduleRestart(d, c, ranMs);
  });
}
