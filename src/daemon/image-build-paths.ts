// The builder's directories under the data root (docs/dir.md): each build's own directory (removed after
// it), the store of context files (kept: build cache, emptied when the daemon starts), RUN --mount=type=cache
// directories (kept: build cache) and mount points of image roots.
import path from 'node:path';
import type { Daemon } from './daemon.js';

export interface BuilderPaths {
  root: string;
  contexts: string;
  contextStore: string;
  /** Hashes of context directories' files, by directory (builder/context/hash-cache.ts). */
  contextHashes: string;
  cacheMounts: string;
  mounts: string;
}

export function builderPaths(d: Daemon): BuilderPaths {
  const root = path.join(d.config.dataRoot, 'builder');
  return {
    root,
    contexts: path.join(root, 'contexts'),
    contextStore: path.join(root, 'context-store'),
    contextHashes: path.join(root, 'context-hashes'),
    cacheMounts: path.join(root, 'cache-mounts'),
    mounts: path.join(root, 'mnt'),
  };
}
