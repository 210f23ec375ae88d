// Snapshotter on overlayfs: committed layers keyed by chain ID (so images
// sharing a base share its directory), active snapshots keyed by container ID.
import { mkdirSync, promises as fs, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Mount, SnapshotInfo, Snapshotter } from '../../core/snapshots.js';
import { BerthError, conflict, internal, invalidArgument, notFound } from '../../errdefs/errors.js';
import { snapshotPaths, type SnapshotPaths } from './paths.js';
import { SnapshotMetadata, type SnapshotRecord } from './snapshot-metadata.js';
import { unpackLayer } from './unpack.js';
import { diskUsage } from './disk-usage.js';
import { native } from '../../host/native.js';

export class OverlaySnapshotter implements Snapshotter {
  /** Background deletions of removed snapshots' directories. */
  private readonly deleting = new Set<Promise<void>>();
  readonly paths: SnapshotPaths;
  private readonly meta: SnapshotMetadata;
  private ready?: Promise<void>;
  /** Whether the kernel knows overlay's `index` option (then we turn it off, as Docker does). */
  private indexOff = false;

  /** `root` is the snapshotter's own directory, `<dataRoot>/snapshots`. */
  constructor(root: string) {
    this.paths = snapshotPaths(root);
    this.meta = new SnapshotMetadata(this.paths.metadata);
  }

  /** Loads the index and removes what a crash left half-made (once per process). */
  private init(): Promise<void> {
    this.ready ??= (async () => {
      await fs.mkdir(this.paths.root, { recursive: true });
      // Each snapshot is a hierarchy of its own: spread over ext4's block groups, a new one is not
      // put where a removed one just freed its inodes. Without a journal ext4 avoids reusing those
      // for a minute or more, and every create in that group scans past them (~1 ms each).
      native().setTopdir(this.paths.root);
      await fs.mkdir(this.paths.empty, { recursive: true });
      await this.meta.load();
      // With index=on (a distro default in places) overlay refuses to remount an
      // upperdir over other lowerdirs and ties upper dirs to their lowers' identity.
      this.indexOff = await fs.access('/sys/module/overlay/parameters/index').then(() => true, () => false);
      for (const name of await fs.readdir(this.paths.root)) {
        const stale =
          (/^\d+$/.test(name) && !this.meta.isReferenced(Number(name))) || (name.startsWith('.') && name.endsWith('.tmp'));
        if (stale) await fs.rm(path.join(this.paths.root, name), { recursive: true, force: true });
      }
    })();
    return this.ready;
  }

  async stat(key: string): Promise<SnapshotInfo | undefined> {
    await this.init();
    const rec = this.meta.records.get(key);
    return rec && toInfo(key, rec);
  }

  async list(): Promise<SnapshotInfo[]> {
    await this.init();
    return [...this.meta.records].map(([k, r]) => toInfo(k, r));
  }

  async applyLayer(
    key: string,
    parent: string | undefined,
    tar: Readable,
    knownDiffId?: string,
  ): Promise<{ diffId: string; size: number }> {
    await this.init();
    const existing = this.meta.records.get(key);
    if (existing) {
      if (existing.kind !== 'committed') throw conflict(`snapshot ${key} already exists`);
      // Already stored (a shared base layer): still read the stream for its diff ID.
      return { diffId: await hashStream(tar), size: existing.size };
    }
    if (parent !== undefined) this.committed(parent);
    const id = this.meta.allocate();
    const dir = this.paths.dir(id);
    try {
      // Until the index names it, this numeric dir is a temp dir: a crash leaves it unreferenced.
      await fs.mkdir(this.paths.fs(id), { recursive: true });
      const res = await unpackLayer(this.paths.fs(id), tar, knownDiffId);
      const raced = this.meta.records.get(key);
      if (raced) {
        await fs.rm(dir, { recursive: true, force: true });
        if (raced.kind !== 'committed') throw conflict(`snapshot ${key} already exists`);
        return { diffId: res.diffId, size: raced.size };
      }
      if (parent !== undefined) this.committed(parent);
      this.meta.records.set(key, { id, parent, kind: 'committed', created: new Date().toISOString(), size: res.size });
      try {
        await this.meta.persist();
      } catch (err) {
        this.meta.records.delete(key);
        throw err;
      }
      return res;
    } catch (err) {
      tar.destroy();
      await fs.rm(dir, { recursive: true, force: true });
      throw layerError(err);
    }
  }

  async prepare(key: string, parent: string | undefined): Promise<Mount[]> {
    await this.init();
    if (this.meta.records.has(key)) throw conflict(`snapshot ${key} already exists`);
    if (parent !== undefined) this.committed(parent);
    const id = this.meta.allocate();
    const dir = this.paths.dir(id);
    try {
      // Direct calls: two mkdirs cost microseconds, thread-pool hops milliseconds.
      mkdirSync(this.paths.fs(id), { recursive: true });
      mkdirSync(this.paths.work(id));
      if (this.meta.records.has(key)) throw conflict(`snapshot ${key} already exists`);
      this.meta.records.set(key, { id, parent, kind: 'active', created: new Date().toISOString(), size: 0 });
      try {
        await this.meta.persist();
      } catch (err) {
        this.meta.records.delete(key);
        throw err;
      }
    } catch (err) {
      await fs.rm(dir, { recursive: true, force: true });
      throw err;
    }
    return this.mounts(key);
  }

  /** Active snapshots mount read-write; committed ones as a read-only view. */
  async mounts(key: string): Promise<Mount[]> {
    await this.init();
    const rec = this.get(key);
    const lowers = rec.kind === 'committed' ? [this.paths.fs(rec.id)] : [];
    for (let p = rec.parent; p !== undefined; p = this.get(p).parent) lowers.push(this.paths.fs(this.get(p).id));
    if (rec.kind === 'active') {
      // Overlay needs at least one lowerdir; a base snapshot gets the empty one.
      if (lowers.length === 0) lowers.push(this.paths.empty);
      // A layer once mounted `volatile` (a --rm container's) keeps a marker that makes overlay refuse any
      // later mount. Only a --rm container's layer has it, and when it is mounted again (its daemon died
      // before removing it; export or commit of it), what it holds is all there is: clear the marker.
      rmSync(path.join(this.paths.work(rec.id), 'work', 'incompat', 'volatile'), { recursive: true, force: true });
      return [
        {
          type: 'overlay',
          source: 'overlay',
          options: [
            `lowerdir=${lowers.join(':')}`,
            `upperdir=${this.paths.fs(rec.id)}`,
            `workdir=${this.paths.work(rec.id)}`,
            ...(this.indexOff ? ['index=off'] : []),
          ],
        },
      ];
    }
    // Without an upperdir overlay wants two or more lowerdirs.
    if (lowers.length === 1) lowers.push(this.paths.empty);
    return [{ type: 'overlay', source: 'overlay', options: [`lowerdir=${lowers.join(':')}`] }];
  }

  /** Resolves once the directories of removed snapshots are deleted. */
  async settled(): Promise<void> {
    await Promise.all([...this.deleting]);
  }

  async remove(key: string): Promise<void> {
    await this.init();
    const rec = this.get(key);
    const children = this.meta.children(key);
    if (children.length > 0) {
      throw conflict(`cannot remove snapshot ${key}: ${children.length} snapshot(s) depend on it`);
    }
    this.meta.records.delete(key);
    try {
      await this.meta.persist({ durable: false });
    } catch (err) {
      this.meta.records.set(key, rec);
      throw err;
    }
    // Unreferenced now, and IDs are never reused while we run: delete it in the
    // background (off the `run --rm` path); if we crash first, startup removes it.
    const deletion = fs.rm(this.paths.dir(rec.id), { recursive: true, force: true }).catch(() => {});
    this.deleting.add(deletion);
    void deletion.finally(() => this.deleting.delete(deletion));
  }

  async usage(key: string): Promise<number> {
    await this.init();
    return diskUsage(this.paths.fs(this.get(key).id));
  }

  private get(key: string): SnapshotRecord {
    const rec = this.meta.records.get(key);
    if (!rec) throw notFound(`snapshot ${key} does not exist`);
    return rec;
  }

  private committed(key: string): SnapshotRecord {
    const rec = this.meta.records.get(key);
    if (!rec) throw notFound(`parent snapshot ${key} does not exist`);
    if (rec.kind !== 'committed') throw invalidArgument(`parent snapshot ${key} is not committed`);
    return rec;
  }
}

function toInfo(key: string, rec: SnapshotRecord): SnapshotInfo {
  return { key, parent: rec.parent, kind: rec.kind, size: rec.size, created: rec.created };
}

async function hashStream(tar: Readable): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of tar) hash.update(chunk as Buffer);
  } catch (err) {
    throw layerError(err);
  }
  return `sha256:${hash.digest('hex')}`;
}

/** Malformed input is the caller's problem (InvalidArgument); failing syscalls are ours. */
function layerError(err: unknown): Error {
  if (err instanceof BerthError && err.kind !== 'InvalidArgument') return err;
  const msg = err instanceof Error ? err.message : String(err);
  if ((err as NodeJS.ErrnoException)?.syscall) return internal(`failed to apply layer: ${msg}`, err);
  return invalidArgument(`failed to apply layer: ${msg}`);
}
