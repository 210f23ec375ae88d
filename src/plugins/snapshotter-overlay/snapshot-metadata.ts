// The snapshotter's index: key → numeric directory, parent and kind, kept in
// memory and persisted as one atomically replaced JSON file.
import { writeJsonAtomic, readJson } from '../../host/atomic-file.js';

export interface SnapshotRecord {
  id: number;
  parent?: string;
  kind: 'committed' | 'active';
  created: string;
  /** Unpacked bytes for committed layers; 0 for active ones (see usage()). */
  size: number;
}

interface MetadataFile {
  snapshots: Record<string, SnapshotRecord>;
}

export class SnapshotMetadata {
  readonly records = new Map<string, SnapshotRecord>();
  private nextId = 1;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  async load(): Promise<void> {
    const data = await readJson<MetadataFile>(this.file);
    for (const [key, rec] of Object.entries(data?.snapshots ?? {})) this.records.set(key, rec);
    for (const rec of this.records.values()) this.reserve(rec.id);
  }

  /** Makes sure `id` is never handed out again. */
  reserve(id: number): void {
    if (id >= this.nextId) this.nextId = id + 1;
  }

  allocate(): number {
    return this.nextId++;
  }

  isReferenced(id: number): boolean {
    for (const rec of this.records.values()) if (rec.id === id) return true;
    return false;
  }

  children(key: string): string[] {
    const out: string[] = [];
    for (const [k, rec] of this.records) if (rec.parent === key) out.push(k);
    return out;
  }

  /**
   * Persists the current state; writes are serialised so the newest state always lands last.
   * `durable: false` (removals) skips the fsync: a snapshot that reappears after a host crash has no
   * owner and is removed at start-up.
   */
  persist({ durable = true }: { durable?: boolean } = {}): Promise<void> {
    const next = this.writing.then(() => {
      const snapshots: Record<string, SnapshotRecord> = {};
      for (const [k, v] of this.records) snapshots[k] = v;
      return writeJsonAtomic(this.file, { snapshots } satisfies MetadataFile, 0o644, { durable });
    });
    this.writing = next.catch(() => {});
    return next;
  }
}
