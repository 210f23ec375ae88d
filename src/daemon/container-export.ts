// GET /containers/{id}/export: a tar of the container's merged filesystem.
import type { Writable } from 'node:stream';
import tar from 'tar-stream';
import { getContainer } from './container-lookup.js';
import { withRootfs } from './container-rootfs.js';
import type { Daemon } from './daemon.js';
import { packTree } from './tree-pack.js';

/** Streams the tar into `out` (checked before anything is written: a missing container is a 404). */
export async function containerExport(d: Daemon, ref: string, start: () => Writable): Promise<void> {
  const c = getContainer(d, ref);
  await withRootfs(d, c, async (root) => {
    const out = start();
    const pack = tar.pack();
    const done = new Promise<void>((resolve, reject) => {
      pack.on('error', reject);
      out.on('error', reject);
      out.on('finish', resolve);
      out.on('close', resolve);
    });
    pack.pipe(out);
    try {
      await packTree(pack, root, '');
      pack.finalize();
    } catch (err) {
      pack.destroy(err as Error);
      throw err;
    }
    await done;
  });
}
