// POST /containers/{id}/start
import { promises as fs } from 'node:fs';
import type { ContainerRecord } from '../core/containers.js';
import type { Mount } from '../core/snapshots.js';
import { logBackstop } from '../core/log-options.js';
import { BerthError, conflict, notModified } from '../errdefs/errors.js';
import { isMounted, mountAll, unmount } from '../host/mount.js';
import { removeLocked } from './container-delete.js';
import { containerFiles } from './container-files.js';
import { getContainer } from './container-lookup.js';
import { buildSpec } from './container-spec.js';
import type { Daemon } from './daemon.js';

export async function containerStart(d: Daemon, ref: string): Promise<void> {
  const found = getContainer(d, ref);
  await d.lock(found.id, async () => {
    const c = d.containers.get(found.id);
    if (!c) throw new BerthError('NotFound', `No such container: ${ref}`);
    if (c.state.Paused) throw conflict('cannot start a paused container, try unpause instead');
    if (c.state.Running) throw notModified();
    if (c.state.Status === 'removing' || c.state.Dead) {
      throw conflict(`container is marked for removal and cannot be started`);
    }
    await startLocked(d, c);
  });
}

/** Mounts, creates and starts the task. The caller holds the container's lock. */
export async function startLocked(d: Daemon, c: ContainerRecord): Promise<void> {
  const files = containerFiles(d, c.id);
  await fs.mkdir(files.rootfs, { recursive: true });
  if (!isMounted(files.rootfs)) {
    const mounts = await d.snapshots.mounts(c.id);
    mountAll(c.hostConfig.AutoRemove ? mounts.map(volatileOverlay) : mounts, files.rootfs);
  }
  const previous = c.state;
  try {
    const spec = buildSpec(c, files);
    const pid = await d.runtime.create({
      id: c.id,
      bundle: files.bundle,
      spec,
      logPath: files.log,
      // conmon's own bound, for while berthd is not there to rotate (log-rotator.ts does the rotating).
      logMaxSize: logBackstop(c.hostConfig.LogConfig),
      terminal: c.config.Tty,
      stdin: c.config.OpenStdin,
      stdinOnce: c.config.StdinOnce,
      runtime: c.runtime,
    });
    c.state = {
      ...c.state,
      Status: 'running',
      Running: true,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: pid,
      ExitCode: 0,
      Error: '',
      StartedAt: new Date().toISOString(),
    };
    c.hasBeenManuallyStopped = false;
    // Recording "running" and starting the process overlap; a failure rewrites the state below.
    await Promise.all([d.runtime.start(c.id, pid), d.containers.save(c, { durable: false })]);
  } catch (err) {
    await d.runtime.delete(c.id, true).catch(() => {});
    unmount(files.rootfs);
    const message = (err as Error).message;
    // Docker records why the start failed, and the exit code the CLI will use.
    c.state = { ...previous, Error: message, ExitCode: exitCodeForStartError(message) };
    await d.containers.save(c);
    // As in Docker, a container meant to be removed on exit is removed when it cannot start.
    if (c.hostConfig.AutoRemove) await removeLocked(d, c);
    throw err;
  }
  d.events.publish('container', 'start', c.id, { image: c.config.Image ?? '', name: c.name.slice(1) });
}

export function exitCodeForStartError(message: string): number {
  if (/executable file not found|no such file or directory/.test(message)) return 127;
  if (/permission denied/.test(message)) return 126;
  return 128;
}

/**
 * A container removed on exit mounts its layer with overlayfs' `volatile`: syncs to the upper layer are
 * skipped, so unmounting does not wait for the host filesystem to flush. Its layer never outlives it, and
 * after a host crash there is nothing to recover. (Podman does the same for `--rm`.) Never for kept
 * containers: an application's fsync inside them must still reach the disk.
 */
function volatileOverlay(m: Mount): Mount {
  return m.type === 'overlay' ? { ...m, options: [...m.options, 'volatile'] } : m;
}
