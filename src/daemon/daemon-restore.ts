// On startup: re-adopt containers that kept running while berthd was down,
// record the exits that happened meanwhile, and drop half-made leftovers.
import { unmount } from '../host/mount.js';
import { containerFiles } from './container-files.js';
import { containerExited } from './container-exit.js';
import type { Daemon } from './daemon.js';

export async function restoreContainers(d: Daemon, adopt: (id: string, runtime: string) => void): Promise<void> {
  for (const c of d.containers.list()) {
    // A create cut short by the crash (never acknowledged): its record got written, its snapshot not.
    if (!(await d.snapshots.stat(c.id))) {
      await d.containers.delete(c.id);
      continue;
    }
    if (!c.state.Running) {
      unmount(containerFiles(d, c.id).rootfs);
      continue;
    }
    adopt(c.id, c.runtime);
    const exit = await d.runtime.exitStatus(c.id);
    if (exit) {
      await containerExited(d, exit);
      continue;
    }
    const task = await d.runtime.state(c.id);
    if (!task || task.status === 'stopped') {
      // The shim is gone without an exit file (host reboot): record it as dead.
      await containerExited(d, { id: c.id, exitCode: 255, exitedAt: new Date(), oomKilled: false });
    }
  }
  // Runtime state of anything not recorded as running is a leftover: a start
  // cut short by the crash, or a cleanup that had not finished.
  await d.runtime.sweep(new Set(d.containers.list().filter((c) => c.state.Running).map((c) => c.id)));
  // Writable snapshots whose container record never got written.
  for (const s of await d.snapshots.list()) {
    if (s.kind === 'active' && !d.containers.get(s.key)) await d.snapshots.remove(s.key).catch(() => {});
  }
}
