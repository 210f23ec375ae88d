// The hashes of a context directory's files, remembered between builds as git's index remembers them:
// keyed by what changes whenever a file does (inode, size, mode, modification and change times), so a
// rebuild of an unchanged context reads no file at all. A file changed within the last second is not
// remembered, since a second change in the same timestamp tick would look the same.
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import { writeJsonAtomic } from '../../host/atomic-file.js';

interface Remembered {
  ino: number;
  size: number;
  mode: number;
  mtimeMs: number;
  ctimeMs: number;
  hash: string;
}

const RACY_MS = 1000;

export class ContextHashCache {
  private readonly next = new Map<string, Remembered>();

  private constructor(
    private readonly file: string,
    private readonly previous: Map<string, Remembered>,
  ) {}

  /** The cache kept in `file` (empty when there is none or it cannot be read). */
  static async load(file: string): Promise<ContextHashCache> {
    let previous = new Map<string, Remembered>();
    try {
      previous = new Map(Object.entries(JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, Remembered>));
    } catch {
      // first build of this directory, or a damaged file: everything is hashed anew
    }
    return new ContextHashCache(file, previous);
  }

  lookup(rel: string, st: Stats): string | undefined {
    const r = this.previous.get(rel);
    if (!r || !same(r, st)) return undefined;
    this.next.set(rel, r);
    return r.hash;
  }

  record(rel: string, st: Stats, hash: string, now = Date.now()): void {
    if (Math.max(st.mtimeMs, st.ctimeMs) > now - RACY_MS) return;
    this.next.set(rel, { ino: st.ino, size: st.size, mode: st.mode, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, hash });
  }

  /** Keeps what this build looked up or hashed (so files gone from the context are forgotten). */
  async save(): Promise<void> {
    // A lost cache only costs a re-read: no fsync.
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await writeJsonAtomic(this.file, Object.fromEntries(this.next), 0o600, { durable: false });
  }
}

function same(r: Remembered, st: Stats): boolean {
  return r.ino === st.ino && r.size === st.size && r.mode === st.mode && r.mtimeMs === st.mtimeMs && r.ctimeMs === st.ctimeMs;
}
