// The build context as the daemon keeps it: an index of every entry with its metadata and Docker's hash
// of it, and the regular files' bytes either in a store of blobs named by that hash (a received tar; kept
// across builds, so a rebuild writes only what changed) or, for a context directory on this host, in the
// directory itself (index-directory.ts; hashes then computed when first asked for). Nothing is ever
// extracted: no entry can point outside the context.
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { baseName, dirName, joinRel, resolveScoped, type SourceEntry, type SourceFs } from './source-fs.js';

export interface ContextEntry extends SourceEntry {
  /** Docker's hash of the entry (tarsum of its header and bytes); a synthesised directory hashes as its path. */
  hash: string;
  /** The blob holding a regular file's bytes ("" for an empty file). */
  blob: string;
  /** A context directory's entry: where its bytes are on the host (then `blob` is unused). */
  host?: string;
}

/** Computes an entry's hash when the index does not have it yet (`hash` is ""). */
export type EntryHasher = (rel: string, entry: ContextEntry) => Promise<string>;

const ROOT: ContextEntry = {
  type: 'dir', mode: 0o755, uid: 0, gid: 0, size: 0, mtime: new Date(0), linkname: '', devmajor: 0, devminor: 0, hash: '', blob: '',
};

export class BuildContext implements SourceFs {
  private readonly entries = new Map<string, ContextEntry>();
  private readonly children = new Map<string, Set<string>>([['', new Set()]]);
  /** Bytes of file data received. */
  dataSize = 0;
  /** Of which new to the store (written). */
  storedSize = 0;

  constructor(
    /** The build's own directory (removed after the build): downloads and the like. */
    readonly dir: string,
    /** The blob store the files' bytes are in. */
    readonly store: string,
    private readonly hasher?: EntryHasher,
  ) {}

  /** The path of a blob in the store. */
  blobPath(name: string): string {
    return path.join(this.store, name);
  }

  get size(): number {
    return this.entries.size;
  }

  lstat(rel: string): ContextEntry | undefined {
    return rel === '' ? ROOT : this.entries.get(rel);
  }

  readdir(rel: string): string[] {
    return [...(this.children.get(rel) ?? [])].sort();
  }

  read(rel: string): Readable {
    const e = this.entries.get(rel);
    if (!e || e.type !== 'file') throw new Error(`not a regular file: ${rel}`);
    if (e.size === 0) return Readable.from([]);
    return createReadStream(e.host ?? this.blobPath(e.blob), { highWaterMark: 1 << 20 });
  }

  async hash(rel: string): Promise<string> {
    const e = this.entries.get(rel);
    if (!e) return rel;
    if (e.hash === '' && this.hasher) e.hash = await this.hasher(rel, e);
    return e.hash;
  }

  /** Every entry with its path (the hash cache records them after a build). */
  *list(): Generator<[string, ContextEntry]> {
    yield* this.entries;
  }

  /** A regular file's text (the Dockerfile, .dockerignore), symlinks resolved inside the context. */
  async readText(rel: string): Promise<string | undefined> {
    const resolved = resolveScoped(this, rel);
    const e = this.entries.get(resolved);
    if (!e || e.type !== 'file') return undefined;
    if (e.size === 0) return '';
    return fs.readFile(e.host ?? this.blobPath(e.blob), 'utf8');
  }

  /** Records an entry (a later entry of the same name replaces the earlier one, as extraction would). */
  put(rel: string, entry: ContextEntry): void {
    const old = this.entries.get(rel);
    if (old?.type === 'dir' && entry.type !== 'dir') this.removeTree(rel);
    this.ensureParents(rel);
    this.entries.set(rel, entry);
    this.children.get(dirName(rel))!.add(baseName(rel));
    if (entry.type === 'dir' && !this.children.has(rel)) this.children.set(rel, new Set());
  }

  /** Drops an entry and everything below it (the daemon hides an excluded Dockerfile this way). */
  remove(rel: string): void {
    if (!this.entries.has(rel)) return;
    this.removeTree(rel);
    this.children.get(dirName(rel))?.delete(baseName(rel));
  }

  private removeTree(rel: string): void {
    for (const child of this.children.get(rel) ?? []) this.removeTree(joinRel(rel, child));
    this.children.delete(rel);
    this.entries.delete(rel);
  }

  /** Parent directories a tar may leave out are made up, hashing as their path (as Docker's lookup falls back). */
  private ensureParents(rel: string): void {
    const parent = dirName(rel);
    if (parent === '' || this.entries.get(parent)?.type === 'dir') return;
    this.ensureParents(parent);
    if (this.entries.has(parent)) this.removeTree(parent);
    this.entries.set(parent, { ...ROOT, mtime: new Date(), hash: parent });
    this.children.set(parent, new Set());
    this.children.get(dirName(parent))!.add(baseName(parent));
  }
}
