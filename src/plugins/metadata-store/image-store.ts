// Image records and references on disk, served from memory after load().
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ImageRecord, ImageStore } from '../../core/images.js';
import { isDigest, type Digest } from '../../oci/digest.js';
import { invalidArgument, notFound } from '../../errdefs/errors.js';
import { readJson, writeJsonAtomic } from '../../host/atomic-file.js';
import { imagePaths, type ImagePaths } from './image-paths.js';

export class FileImageStore implements ImageStore {
  readonly paths: ImagePaths;
  private readonly records = new Map<Digest, ImageRecord>();
  private readonly refs = new Map<string, Digest>();
  private writingRefs: Promise<void> = Promise.resolve();

  /** `dataRoot` is the daemon's data root; the store keeps to `<dataRoot>/image/`. */
  constructor(dataRoot: string) {
    this.paths = imagePaths(dataRoot);
  }

  async load(): Promise<void> {
    await fs.mkdir(this.paths.records, { recursive: true });
    this.records.clear();
    this.refs.clear();
    for (const name of await fs.readdir(this.paths.records)) {
      const file = path.join(this.paths.records, name);
      // Temp files of writes a crash interrupted.
      if (name.endsWith('.tmp')) {
        await fs.rm(file, { force: true });
        continue;
      }
      const id = `sha256:${name.replace(/\.json$/, '')}`;
      if (!isDigest(id) || !name.endsWith('.json')) continue;
      const rec = await readJson<ImageRecord>(file).catch(() => undefined);
      if (rec && rec.id === id) this.records.set(id, rec);
    }
    for (const name of await fs.readdir(this.paths.root)) {
      if (name.endsWith('.tmp')) await fs.rm(path.join(this.paths.root, name), { force: true });
    }
    const saved = (await readJson<Record<string, string>>(this.paths.repositories)) ?? {};
    let dropped = false;
    for (const [ref, id] of Object.entries(saved)) {
      // A reference is written after its image, so one without an image is stale.
      if (isDigest(id) && this.records.has(id)) this.refs.set(ref, id);
      else dropped = true;
    }
    if (dropped) await this.persistRefs();
  }

  get(id: Digest): ImageRecord | undefined {
    return this.records.get(id);
  }

  list(): ImageRecord[] {
    return [...this.records.values()];
  }

  async put(record: ImageRecord): Promise<void> {
    if (!isDigest(record.id)) throw invalidArgument(`invalid image ID: ${record.id}`);
    await writeJsonAtomic(this.paths.record(record.id), record);
    this.records.set(record.id, record);
  }

  /** Removes the image and every reference to it. */
  async delete(id: Digest): Promise<void> {
    if (!this.records.has(id)) throw notFound(`No such image: ${id}`);
    let hadRefs = false;
    for (const [ref, target] of this.refs) {
      if (target === id) {
        this.refs.delete(ref);
        hadRefs = true;
      }
    }
    // References go first: a crash in between leaves an untagged image, never a dangling tag.
    if (hadRefs) await this.persistRefs();
    await fs.rm(this.paths.record(id), { force: true });
    this.records.delete(id);
  }

  references(): ReadonlyMap<string, Digest> {
    return this.refs;
  }

  referencesOf(id: Digest): string[] {
    const out: string[] = [];
    for (const [ref, target] of this.refs) if (target === id) out.push(ref);
    return out.sort();
  }

  async setReference(fullName: string, id: Digest): Promise<void> {
    if (!this.records.has(id)) throw notFound(`No such image: ${id}`);
    const prev = this.refs.get(fullName);
    if (prev === id) return;
    this.refs.set(fullName, id);
    try {
      await this.persistRefs();
    } catch (err) {
      if (prev === undefined) this.refs.delete(fullName);
      else this.refs.set(fullName, prev);
      throw err;
    }
  }

  async deleteReference(fullName: string): Promise<void> {
    const prev = this.refs.get(fullName);
    if (prev === undefined) throw notFound(`reference does not exist: ${fullName}`);
    this.refs.delete(fullName);
    try {
      await this.persistRefs();
    } catch (err) {
      this.refs.set(fullName, prev);
      throw err;
    }
  }

  /** Serialised so the newest map always lands last. */
  private persistRefs(): Promise<void> {
    const next = this.writingRefs.then(() => {
      const out: Record<string, string> = {};
      for (const [k, v] of [...this.refs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = v;
      return writeJsonAtomic(this.paths.repositories, out);
    });
    this.writingRefs = next.catch(() => {});
    return next;
  }
}
