// On-disk layout of the overlay snapshotter. Snapshot directories use short
// numbers, not chain IDs, so a deep lowerdir list stays under a page.
import path from 'node:path';

export interface SnapshotPaths {
  root: string;
  /** key → {id, parent, kind} for every visible snapshot. */
  metadata: string;
  /** An always-empty directory: the lowerdir of a snapshot with no parent. */
  empty: string;
  dir(id: number): string;
  fs(id: number): string;
  work(id: number): string;
}

/** `root` is `<dataRoot>/snapshots`. */
export function snapshotPaths(root: string): SnapshotPaths {
  const dir = (id: number) => path.join(root, String(id));
  return {
    root,
    metadata: path.join(root, 'metadata.json'),
    empty: path.join(root, 'empty'),
    dir,
    fs: (id) => path.join(dir(id), 'fs'),
    work: (id) => path.join(dir(id), 'work'),
  };
}
