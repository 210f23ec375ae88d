// What happens when conmon reports that a container's process exited.
import type { ExitEvent } from '../core/runtime.js';
import { unmount } from '../host/mount.js';
import { containerFiles } from './container-files.js';
import { removeLocked } from './container-delete.js';
import type { Daemon } from './daemon.js';

export async function containerExited(d: Daemon, e: ExitEvent): Promise<void> {
  await d.lock(e.id, async () => {
    const c = d.containers.get(e.id);
    if (!c || !c.state.Running) return;
    unmount(containerFiles(d, c.id).rootfs);
    c.state = {
      ...c.state,
      Status: 'exited',
      Running: false,
      Paused: false,
      Restarting: false,
      Pid: 0,
      ExitCode: e.exitCode,
      OOMKilled: e.oomKilled,
      FinishedAt: e.exitedAt.toISOString(),
    };
    // A container removed on exit needs no exited state on disk: if we crash
    // before removal, the exit file (kept until release) replays this.
    if (!c.hostConfig.AutoRemove) await d.containers.save(c);
    d.events.publish('container', 'die', c.id, {
      exitCode: String(e.exitCode),
      image: c.config.Image ?? '',
      name: c.name.slice(1),
    });
    if (c.hostConfig.AutoRemove) await removeLocked(d, c);
    d.runtime.release(c.id);
  });
}
