// Binds the builder's verbs (issue 4) to one daemon: POST /build and POST /build/prune. Binding also
// clears what an earlier daemon left: mount points of image roots, and the store of context files (its
// blobs were never fsynced: after a crash one could hold less than its name says, so none is trusted).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { unmount } from '../host/mount.js';
import { builderPrune, type BuilderPruneOptions } from './builder-prune.js';
import type { Daemon } from './daemon.js';
import { imageBuild, type ImageBuildOptions } from './image-build.js';
import { withActiveBuild } from './image-build-cache.js';
import { builderPaths } from './image-build-paths.js';
import type { JsonMessage } from '../api/types.js';
import type { Distribution } from '../distribution/distribution.js';

/** `dist` lets builds pull the base images they lack (FROM, COPY --from). */
export function buildBackend(d: Daemon, dist?: Distribution) {
  void clearLeftovers(d);
  return {
    imageBuild: (opts: ImageBuildOptions, emit: (m: JsonMessage) => void) => withActiveBuild(d, () => imageBuild(d, opts, emit, dist)),
    builderPrune: (opts: BuilderPruneOptions) => builderPrune(d, opts),
  };
}

/** Image roots mounted by a build the daemon did not finish are unmounted and their mount points removed. */
async function clearLeftovers(d: Daemon): Promise<void> {
  const p = builderPaths(d);
  // Renamed into contexts/ first: if the delete does not finish, it is a leftover `builder prune` removes.
  await fs.mkdir(p.contexts, { recursive: true, mode: 0o700 }).catch(() => {});
  const stale = path.join(p.contexts, `stale-store-${process.pid}`);
  if (await fs.rename(p.contextStore, stale).then(() => true, () => false)) void fs.rm(stale, { recursive: true, force: true }).catch(() => {});
  const dir = p.mounts;
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const p = path.join(dir, name);
    try {
      unmount(p);
      await fs.rmdir(p);
    } catch {
      // still busy, or not ours: left for the next start
    }
  }
}
