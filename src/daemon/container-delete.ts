// DELETE /containers/{id}
import type { ContainerRecord } from '../core/containers.js';
import { conflict } from '../errdefs/errors.js';
import { unmount } from '../host/mount.js';
import { containerFiles } from './container-files.js';
import { getContainer } from './container-lookup.js';
import { killAndWait } from './container-stop.js';
import type { Daemon } from './daemon.js';

export async function containerDelete(d: Daemon, ref: string, opts: { force?: boolean } = {}): Promise<void> {
  const c = getContainer(d, ref);
  if (c.state.Running) {
    if (!opts.force) {
      throw conflict(
        `You cannot remove a running container ${c.id}. Stop the container before attempting removal or force remove`,
      );
    }
    await killAndWait(d, c.id, 9);
  }
  await d.lock(c.id, async () => {
    const current = d.containers.get(c.id);
    if (current) await removeLocked(d, current);
  });
}

/** Tears down everything the container owns. The caller holds its lock. */
export async function removeLocked(d: Daemon, c: ContainerRecord): Promise<void> {
  c.state = { ...c.state, Status: 'removing' };
  unmount(containerFiles(d, c.id).rootfs);
  // Record and snapshot go together; a snapshot whose record is gone is removed on restart.
  await Promise.all([
    d.containers.delete(c.id),
    d.snapshots.remove(c.id).catch((err) => {
      if ((err as { kind?: string }).kind !== 'NotFound') throw err;
    }),
  ]);
  d.events.publish('container', 'destroy', c.id, { image: c.config.Image ?? '', name: c.name.slice(1) });
}
