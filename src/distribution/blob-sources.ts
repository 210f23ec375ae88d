// Which registry repositories are known to hold which blobs, and which compressed blob a layer was
// pushed as — dockerd keeps the same in its v2 metadata service. Push uses it to skip blobs a
// repository has ("Layer already exists"), to mount them from a sibling repository ("Mounted from
// x"), and to reuse the compressed form of an uncompressed layer instead of compressing it again.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJson, writeJsonAtomic } from '../host/atomic-file.js';

export interface BlobSource {
  digest: string;
  mediaType: string;
  size: number;
  /** The layer's diff ID (sha256 of its tar), when the blob is a layer. */
  diffId?: string;
  /** "registry/path" of every repository seen holding it, most recent last. */
  repositories: string[];
}

interface FileShape {
  blobs: Record<string, BlobSource>;
}

const MAX_REPOS_PER_BLOB = 20;

export class BlobSources {
  private data?: FileShape;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  private async load(): Promise<FileShape> {
    if (!this.data) {
      const read = await readJson<FileShape>(this.file).catch(() => undefined);
      this.data = read && typeof read.blobs === 'object' ? read : { blobs: {} };
    }
    return this.data;
  }

  /** Blobs a layer (by diff ID) is known as, plus the blob itself when given. */
  async forLayer(diffId: string): Promise<BlobSource[]> {
    const data = await this.load();
    return Object.values(data.blobs).filter((b) => b.diffId === diffId);
  }

  async get(digest: string): Promise<BlobSource | undefined> {
    return (await this.load()).blobs[digest];
  }

  /** Records that `repository` ("registry/path") holds the blob. */
  async add(entry: Omit<BlobSource, 'repositories'>, repository: string): Promise<void> {
    await this.addAll([entry], repository);
  }

  /** Records several blobs of one repository with one write. */
  async addAll(entries: Array<Omit<BlobSource, 'repositories'>>, repository: string): Promise<void> {
    const data = await this.load();
    let changed = false;
    for (const entry of entries) {
      const cur = data.blobs[entry.digest] ?? { ...entry, repositories: [] };
      if (entry.diffId) cur.diffId = entry.diffId;
      if (cur.repositories[cur.repositories.length - 1] === repository && data.blobs[entry.digest]) continue;
      cur.repositories = [...cur.repositories.filter((r) => r !== repository), repository].slice(-MAX_REPOS_PER_BLOB);
      data.blobs[entry.digest] = cur;
      changed = true;
    }
    if (changed) await this.persist();
  }

  /** Forgets that `repository` holds the blob (a mount or HEAD said otherwise). */
  async remove(digest: string, repository: string): Promise<void> {
    const data = await this.load();
    const cur = data.blobs[digest];
    if (!cur || !cur.repositories.includes(repository)) return;
    cur.repositories = cur.repositories.filter((r) => r !== repository);
    await this.persist();
  }

  private persist(): Promise<void> {
    const next = this.writing.then(async () => {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await writeJsonAtomic(this.file, this.data);
    });
    this.writing = next.catch(() => {});
    return next;
  }
}
