// Container records: <data-root>/containers/<id>/config.json, cached in memory.
import { promises as fs, renameSync } from 'node:fs';
import path from 'node:path';
import type { ContainerRecord, ContainerStore } from '../../core/containers.js';
import { readJson, writeJsonAtomic } from '../../host/atomic-file.js';

/** Removed containers' directories, renamed aside until their files are deleted. */
const TRASH_PREFIX = '.trash-';

export class FileContainerStore implements ContainerStore {
  private readonly records = new Map<string, ContainerRecord>();

  constructor(private readonly root: string) {}

  dir(id: string): string {
    return path.join(this.root, id);
  }

  async load(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true });
    for (const id of await fs.readdir(this.root)) {
      if (id.startsWith(TRASH_PREFIX)) {
        await fs.rm(path.join(this.root, id), { recursive: true, force: true });
        continue;
      }
      const rec = await readJson<ContainerRecord>(path.join(this.dir(id), 'config.json')).catch(() => undefined);
      // A directory without a record is a create that never finished.
      if (!rec) await fs.rm(this.dir(id), { recursive: true, force: true });
      else this.records.set(id, rec);
    }
  }

  get(id: string): ContainerRecord | undefined {
    return this.records.get(id);
  }

  list(): ContainerRecord[] {
    return [...this.records.values()];
  }

  async save(record: ContainerRecord, opts?: { durable?: boolean }): Promise<void> {
    await fs.mkdir(this.dir(record.id), { recursive: true });
    await writeJsonAtomic(path.join(this.dir(record.id), 'config.json'), record, 0o644, opts);
    this.records.set(record.id, record);
  }

  /** Gone the moment one rename lands; the files are deleted in the background. */
  async delete(id: string): Promise<void> {
    this.records.delete(id);
    const trash = path.join(this.root, `${TRASH_PREFIX}${id}`);
    try {
      renameSync(this.dir(id), trash);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    void fs.rm(trash, { recursive: true, force: true }).catch(() => {});
  }
}
