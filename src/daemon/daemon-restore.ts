// On startup: re-adopt containers that kept running while berthd was down,
// record the exits that happened meanwhile, drop half-made leftovers, and
// start the containers whose restart policy says so.
import { ZERO_TIME, type ContainerRecord } from '../core/containers.js';
import { shouldStartOnBoot } from '../core/restart-policy.js';
import { unmount } from '../host/mount.js';
import { containerFiles } from './container-files.js';
import { dropTemporaryRoots } from './container-rootfs.js';
import { removeLocked } from './container-delete.js';
import { containerExited } from './container-exit.js';
import type { Daemon } from './daemon.js';
import { installHealthMonitor, markReadopted, startHealthCheck } from './health-monitor.js';
import { installRestartManager, startByPolicy } from './restart-manager.js';
import { holdRestarts, releaseRestarts } from './restart-timers.js';

export async function restoreContainers(d: Daemon, adopt: (id: string, runtime: string) => void): Promise<void> {
  installRestartManager(d);
  installHealthMonitor(d);
  holdRestarts(d);
  try {
    await restore(d, adopt);
  } finally {
    releaseRestarts(d);
  }
  await startOnBoot(d);
  for (const c of d.containers.list()) {
    if (c.state.Running && !c.state.Restarting && !c.state.Paused) {
      markReadopted(d, c.id);
      startHealthCheck(d, c.id);
    }
  }
}

async function restore(d: Daemon, adopt: (id: string, runtime: string) => void): Promise<void> {
  for (const c of d.containers.list()) {
    // A create cut short by the crash (never acknowledged): its record got written, its snapshot not.
    if (!(await d.snapshots.stat(c.id))) {
      await d.containers.delete(c.id);
      continue;
    }
    dropTemporaryRoots(d, c.id);
    if (c.state.Restarting) {
      // berthd went down during a restart back-off: nothing runs; start-up decides below.
      c.state = { ...c.state, Status: 'exited', Running: false, Restarting: false, Pid: 0 };
      await d.containers.save(c);
    }
    if (!c.state.Running) {
      unmount(containerFiles(d, c.id).rootfs);
      // As dockerd's restore does: a --rm container that is not running (created but never started, or
      // caught by the crash between its exit or a failed start and its removal) is removed now.
      if (c.hostConfig.AutoRemove) await d.lock(c.id, () => removeLocked(d, c));
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
  await d.runtime.sweep(
    new Set(d.containers.list().filter((c) => c.state.Running && !c.state.Restarting).map((c) => c.id)),
  );
  // Writable snapshots whose container record never got written.
  for (const s of await d.snapshots.list()) {
    if (s.kind === 'active' && !d.containers.get(s.key)) await d.snapshots.remove(s.key).catch(() => {});
  }
}

/** `always` containers come back even if the user stopped them; `unless-stopped` ones only if not. */
async function startOnBoot(d: Daemon): Promise<void> {
  const due = d.containers.list().filter(
    (c) =>
      !c.state.Running &&
      !c.state.Dead &&
      c.state.StartedAt !== ZERO_TIME &&
      shouldStartOnBoot({
        policy: c.hostConfig.RestartPolicy,
        exitCode: c.state.ExitCode,
        manuallyStopped: c.hasBeenManuallyStopped,
        restartCount: c.restartCount,
      }),
  );
  await Promise.all(due.map((c) => bootStart(d, c)));
}

async function bootStart(d: Daemon, c: ContainerRecord): Promise<void> {
  await d.lock(c.id, async () => {
    const cur = d.containers.get(c.id);
    if (!cur || cur.state.Running) return;
    await startByPolicy(d, cur).catch(() => {});
  });
}
