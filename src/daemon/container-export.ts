// GET /containers/{id}/export: a tar of the container's merged filesystem.
import type { Writable } from 'node:stream';
import { getContainer } from './container-lookup.js';
import { withRootfs } from './container-rootfs.js';
import type { Daemon } from './daemon.js';
import { streamTree } from './tree-pack.js';

/** Streams the tar into `out` (checked before anything is written: a missing container is a 404). */
export async function containerExport(d: Daemon, ref: string, start: () => Writable): Promise<void> {
  const c = getContainer(d, ref);
  await withRootfs(d, c, async (root) => {
    await streamTree(start(), root, '');
  });
}
