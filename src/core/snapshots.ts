// Layer snapshots keyed by chain ID, shared between images; active (writable)
// snapshots keyed by container ID. Modelled on containerd's Snapshotter.
import type { Readable } from 'node:stream';

export interface Mount {
  type: string; // "overlay" | "bind"
  source: string;
  target?: string;
  options: string[];
}

export interface SnapshotInfo {
  key: string; // chain ID for committed layers, container ID for active ones
  parent?: string;
  kind: 'committed' | 'active';
  /** Bytes on disk of this snapshot's own directory. */
  size: number;
  created: string;
}

export interface Snapshotter {
  stat(key: string): Promise<SnapshotInfo | undefined>;
  list(): Promise<SnapshotInfo[]>;
  /**
   * Unpacks an uncompressed layer tar on top of `parent`, committing it as
   * `key`. Whiteouts become overlay whiteouts. On failure nothing is left.
   * Returns the diff ID (sha256 of the tar bytes) and the unpacked size. `knownDiffId`: the caller has
   * already verified the tar's sha256 (a plain layer stored under its digest), so it is not hashed again.
   */
  applyLayer(key: string, parent: string | undefined, tar: Readable, knownDiffId?: string): Promise<{ diffId: string; size: number }>;
  /** Creates a writable snapshot over `parent` and returns how to mount it. */
  prepare(key: string, parent: string | undefined): Promise<Mount[]>;
  mounts(key: string): Promise<Mount[]>;
  /** Throws Conflict while other snapshots are based on it. */
  remove(key: string): Promise<void>;
  /** Resolves once the directories of removed snapshots are deleted (removal finishes them in the background). */
  settled(): Promise<void>;
  /** Bytes used by the snapshot's own upper directory (for `ps -s`, `system df`). */
  usage(key: string): Promise<number>;
}
