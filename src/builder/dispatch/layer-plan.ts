// The layer a COPY, ADD or WORKDIR step adds, planned as a list of tar entries and then streamed as an
// uncompressed layer tar, without a container: file bytes are read from the source (the context, an
// image or a download) while the tar is written. Parent directories that exist in the image are
// included with their metadata (as the overlay diff Docker exports would hold them), so applying the
// layer never changes a directory's owner or mode.
import { PassThrough, type Readable } from 'node:stream';
import tar, { type Header, type Pack } from 'tar-stream';
import { contextName } from '../context/receive-context.js';
import { dirName, joinRel, type SourceEntry, type SourceFs } from '../context/source-fs.js';
import { decompress, type Compression } from './decompress.js';

type Headers = Partial<Header> & Pick<Header, 'name'>;

export interface Owner {
  uid: number;
  gid: number;
}

interface PlannedEntry {
  kind: 'entry';
  header: Headers;
  /** Where a file's bytes come from. */
  source?: { fs: SourceFs; rel: string };
}

interface PlannedArchive {
  kind: 'archive';
  fs: SourceFs;
  rel: string;
  compression: Compression;
  /** Destination directory (relative to the image root). */
  dest: string;
}

export class LayerPlan {
  private readonly items = new Map<string, PlannedEntry | PlannedArchive>();
  private archives = 0;

  constructor(
    /** The parent image's root: what exists already. */
    readonly image: SourceFs,
  ) {}

  get empty(): boolean {
    return this.items.size === 0;
  }

  /** Whether `rel` is a directory in the image or in this plan. */
  isDir(rel: string): boolean {
    if (rel === '') return true;
    const planned = this.items.get(rel);
    if (planned?.kind === 'entry') return planned.header.type === 'directory';
    return this.image.lstat(rel)?.type === 'dir';
  }

  exists(rel: string): boolean {
    return rel === '' || this.items.has(rel) || this.image.lstat(rel) !== undefined;
  }

  /**
   * MkdirAll: every missing directory down to `rel` is created (0755, `owner`); existing ones on the way
   * are included as they are. Something else than a directory in the way is an error.
   */
  mkdirAll(rel: string, owner: Owner, mode = 0o755): void {
    if (rel === '' || this.items.has(rel)) return;
    this.mkdirAll(dirName(rel), owner);
    const existing = this.image.lstat(rel);
    if (existing?.type === 'dir') {
      this.put(rel, { kind: 'entry', header: dirHeader(rel, existing) });
      return;
    }
    if (existing) throw new Error(`mkdir /${rel}: not a directory`);
    this.put(rel, {
      kind: 'entry',
      header: { name: `${rel}/`, type: 'directory', mode, uid: owner.uid, gid: owner.gid, mtime: new Date() },
    });
  }

  /** Adds one entry of `src` as `rel` (a directory entry without its contents), owned as given. */
  addEntry(rel: string, fs: SourceFs, srcRel: string, e: SourceEntry, owner: Owner, chmod?: number): void {
    this.mkdirAll(dirName(rel), owner);
    const header: Headers = {
      name: e.type === 'dir' ? `${rel}/` : rel,
      mode: chmod ?? e.mode,
      uid: owner.uid,
      gid: owner.gid,
      mtime: e.mtime,
    };
    switch (e.type) {
      case 'file':
        this.put(rel, { kind: 'entry', header: { ...header, type: 'file', size: e.size }, source: { fs, rel: srcRel } });
        return;
      case 'dir':
        this.put(rel, { kind: 'entry', header: { ...header, type: 'directory' } });
        return;
      case 'symlink':
        this.put(rel, { kind: 'entry', header: { ...header, type: 'symlink', linkname: e.linkname, mode: e.mode } });
        return;
      default: {
        const type = e.type === 'char' ? 'character-device' : e.type === 'block' ? 'block-device' : 'fifo';
        this.put(rel, { kind: 'entry', header: { ...header, type, devmajor: e.devmajor, devminor: e.devminor } });
      }
    }
  }

  /** ADD of a local archive: its entries are streamed into `dest` when the layer is written. */
  addArchive(dest: string, fs: SourceFs, rel: string, compression: Compression): void {
    this.mkdirAll(dest, { uid: 0, gid: 0 });
    this.items.set(`\0archive${this.archives++}`, { kind: 'archive', fs, rel, compression, dest });
  }

  private put(rel: string, item: PlannedEntry): void {
    // A later entry for the same path replaces the earlier one, as a second copy would overwrite it.
    if (this.items.has(rel) && item.header.type !== 'directory') this.items.delete(rel);
    this.items.set(rel, item);
  }

  /** The layer tar. Errors (a source vanishing, a bad archive) surface as the stream's error. */
  toTar(): Readable {
    const pack = tar.pack();
    const out = new PassThrough({ highWaterMark: 1 << 20 });
    pack.on('error', (err: Error) => out.destroy(err));
    pack.pipe(out);
    void this.write(pack).then(
      () => pack.finalize(),
      (err) => pack.destroy(err as Error),
    );
    return out;
  }

  private async write(pack: Pack): Promise<void> {
    const written = new Set<string>();
    for (const item of this.items.values()) {
      if (item.kind === 'archive') {
        await writeArchive(pack, item, this.image, written);
        continue;
      }
      await addEntry(pack, item.header, item.source ? item.source.fs.read(item.source.rel) : undefined);
      if (item.header.type === 'directory') written.add(item.header.name.replace(/\/$/, ''));
    }
  }
}

function dirHeader(rel: string, e: SourceEntry): Headers {
  return { name: `${rel}/`, type: 'directory', mode: e.mode, uid: e.uid, gid: e.gid, mtime: e.mtime };
}

function addEntry(pack: Pack, header: Headers, body?: Readable): Promise<void> {
  return new Promise((resolve, reject) => {
    const cb = (err?: Error | null) => (err ? reject(err) : resolve());
    if (!body) {
      if (header.type === 'file') pack.entry(header, Buffer.alloc(0), cb);
      else pack.entry(header, cb);
      return;
    }
    const entry = pack.entry(header, cb);
    // The entry re-emits the error it is destroyed with; unheard, that would crash the daemon.
    entry.on('error', () => {});
    body.on('error', (err) => {
      entry.destroy(err);
      reject(err);
    });
    body.pipe(entry);
  });
}

/** Streams an archive's entries under `dest`; missing parents are made as the image has them, else 0755 root. */
async function writeArchive(pack: Pack, a: PlannedArchive, image: SourceFs, written: Set<string>): Promise<void> {
  const raw = a.fs.read(a.rel);
  const input = decompress(raw, a.compression, a.rel);
  const extract = tar.extract();
  raw.on('error', (err) => extract.destroy(err));
  input.on('error', (err) => extract.destroy(err));
  input.pipe(extract as unknown as NodeJS.WritableStream);
  for await (const entry of extract) {
    const h = entry.header;
    const name = contextName(h.name);
    if (name === '') {
      for await (const _ of entry);
      continue;
    }
    const rel = joinRel(a.dest, name);
    const missing: string[] = [];
    for (let p = dirName(rel); p !== '' && p !== a.dest && !written.has(p); p = dirName(p)) missing.push(p);
    for (const m of missing.reverse()) {
      const existing = image.lstat(m);
      const header: Headers = existing?.type === 'dir'
        ? dirHeader(m, existing)
        : { name: `${m}/`, type: 'directory', mode: 0o755, uid: 0, gid: 0, mtime: new Date() };
      await addEntry(pack, header);
      written.add(m);
    }
    const header: Headers = { ...h, name: h.type === 'directory' ? `${rel}/` : rel };
    if (h.type === 'link') header.linkname = joinRel(a.dest, contextName(h.linkname ?? ''));
    if (h.type === 'file' || h.type === 'contiguous-file') await addEntry(pack, header, entry as unknown as Readable);
    else {
      for await (const _ of entry);
      await addEntry(pack, header);
    }
    if (h.type === 'directory') written.add(rel);
  }
}
