// Unpacks an uncompressed OCI layer tar into a directory in overlay form,
// hashing the tar bytes as they stream past (the layer's diff ID).
import {
  closeSync, constants as fsc, fchmodSync, fchownSync, futimesSync, linkSync, lchownSync, lstatSync, lutimesSync, chmodSync,
  mkdirSync, openSync, rmSync, symlinkSync, utimesSync, writeSync, type Stats,
} from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import path from 'node:path';
import tar from 'tar-stream';
import type { Digest } from '../../oci/digest.js';
import { invalidArgument } from '../../errdefs/errors.js';
import { native, S_IFCHR } from '../../host/native.js';
import { entryComponents, resolveInRootSync } from './scoped-path.js';
import { PooledSha256 } from '../../host/pooled-sha256.js';

const S_IFBLK = 0o060000;
const S_IFIFO = 0o010000;
const WHITEOUT_PREFIX = '.wh.';
const OPAQUE_WHITEOUT = '.wh..wh..opq';
const OPAQUE_XATTR = 'trusted.overlay.opaque';

export interface UnpackResult {
  diffId: Digest;
  /** Bytes of the files written (like Docker's layer DiffSize: hardlinks once, symlinks by target length). */
  size: number;
}

/** Tar bytes that may wait for the hash before the unpack stops to let it catch up. */
const HASH_BACKLOG = 16 << 20;

/** The fields we read; tar-stream gives `type: null` for flags it does not know. */
interface Header {
  name: string;
  type?: string | null;
  size?: number;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: Date;
  linkname?: string | null;
  devmajor?: number;
  devminor?: number;
  pax?: Record<string, string> | null;
}

/** Where one unpack is: sizes per path, directory mtimes to set last, directories already resolved. */
interface Unpacking {
  root: string;
  sizes: Map<string, number>;
  dirTimes: Array<{ path: string; mtime: Date }>;
  /** Entry directory (as written, "a/b") → its real path; forgotten whenever something is replaced. */
  dirs: Map<string, string>;
}

/**
 * Unpacks `input` into the existing empty directory `root`. Throws on any malformed entry.
 *
 * The per-entry system calls are synchronous on purpose: each is a few microseconds, while a thread-pool
 * round trip costs ~0.1 ms, and a layer has thousands of entries (4 940 files took 3.7 s with async calls).
 * File contents still stream, so the event loop gets its turns between chunks.
 */
export async function unpackLayer(root: string, input: Readable, knownDiffId?: string): Promise<UnpackResult> {
  // A diff ID the caller has verified already is not computed again (sha256 costs ~0.5 s per 700 MB).
  const hash = knownDiffId ? undefined : new PooledSha256();
  const hasher = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (!hash) return cb(null, chunk);
      // Hashed on the thread pool while the tar is unpacked; wait only when it falls behind.
      hash.update(chunk);
      if (hash.backlog > HASH_BACKLOG) hash.hashed().then(() => cb(null, chunk), cb);
      else cb(null, chunk);
    },
  });
  const extract = tar.extract();
  // The first error names the problem ("Unexpected end of data"); entry streams
  // destroyed after it only say "Stream was destroyed".
  let firstError: unknown;
  extract.on('error', (err) => (firstError ??= err));
  const closed = new Promise<void>((resolve) => extract.on('close', () => resolve()));
  input.on('error', (err) => hasher.destroy(err));
  hasher.on('error', (err) => extract.destroy(err));
  // A source destroyed without an error (before or while we read it) would otherwise leave us waiting.
  const cutShort = () => hasher.destroy(new Error('the layer stream ended early'));
  if (input.destroyed && !input.readableEnded) cutShort();
  else input.once('close', () => input.readableEnded || cutShort());
  input.pipe(hasher).pipe(extract as unknown as NodeJS.WritableStream);

  const u: Unpacking = { root, sizes: new Map(), dirTimes: [], dirs: new Map() };
  try {
    for await (const entry of extract) {
      await applyEntry(u, entry.header as unknown as Header, entry as unknown as Readable);
    }
  } catch (err) {
    input.unpipe(hasher);
    input.destroy();
    hasher.destroy();
    extract.destroy(err as Error);
    await closed;
    throw firstError ?? err;
  }
  // Directory mtimes last: creating their children changed them.
  for (const d of u.dirTimes.reverse()) utimesSync(d.path, d.mtime, d.mtime);
  let size = 0;
  for (const n of u.sizes.values()) size += n;
  return { diffId: hash ? `sha256:${await hash.digest()}` : (knownDiffId as UnpackResult['diffId']), size };
}

/** The real path of an entry's parent directory, created if missing, never outside the root. */
function parentDir(u: Unpacking, parts: string[]): string {
  const key = parts.join('/');
  let dir = u.dirs.get(key);
  if (dir === undefined) {
    dir = resolveInRootSync(u.root, parts, true);
    u.dirs.set(key, dir);
  }
  return dir;
}

async function applyEntry(u: Unpacking, h: Header, data: Readable): Promise<void> {
  const parts = entryComponents(h.name);
  const base = parts.pop();
  const rel = [...parts, base ?? ''].join('/');
  const dir = parentDir(u, parts);

  if (base === undefined) {
    // The layer root itself ("./"): only its metadata applies.
    if (h.type !== 'directory') throw invalidArgument(`invalid tar entry "${h.name}": the root must be a directory`);
    await drain(data);
    setMetadata(u.root, h, false);
    u.dirTimes.push({ path: u.root, mtime: mtimeOf(h) });
    return;
  }

  if (base.startsWith(WHITEOUT_PREFIX)) {
    await drain(data);
    if (base === OPAQUE_WHITEOUT) {
      // Hide everything below this directory in lower layers.
      native().lsetxattr(dir, OPAQUE_XATTR, 'y');
    } else if (!base.startsWith(WHITEOUT_PREFIX + WHITEOUT_PREFIX)) {
      // .wh.<name> hides <name>: overlay's form is a 0/0 character device.
      const hidden = base.slice(WHITEOUT_PREFIX.length);
      if (hidden === '' || hidden === '.' || hidden === '..') throw invalidArgument(`invalid whiteout "${h.name}"`);
      const target = path.join(dir, hidden);
      removeExisting(u, target, [...parts, hidden].join('/'));
      native().mknod(target, S_IFCHR, 0, 0);
      lchownSync(target, h.uid ?? 0, h.gid ?? 0);
    }
    // Other .wh..wh.* names are AUFS bookkeeping; they carry nothing.
    return;
  }

  const target = path.join(dir, base);
  const existing = lstatOrUndefined(target);
  if (existing && !(existing.isDirectory() && h.type === 'directory')) removeExisting(u, target, rel);

  switch (h.type) {
    case 'file':
    case 'contiguous-file': {
      await writeFile(target, h, data);
      u.sizes.set(rel, h.size ?? 0);
      return;
    }
    case 'directory':
      await drain(data);
      if (!existing) mkdirSync(target, 0o755);
      setMetadata(target, h, false);
      u.dirTimes.push({ path: target, mtime: mtimeOf(h) });
      return;
    case 'symlink':
      await drain(data);
      if (!h.linkname) throw invalidArgument(`invalid tar entry "${h.name}": symlink without a target`);
      // Stored verbatim: we never write through it (parents resolve in-root).
      symlinkSync(h.linkname, target);
      setMetadata(target, h, true);
      u.sizes.set(rel, Buffer.byteLength(h.linkname));
      return;
    case 'link': {
      await drain(data);
      const linkParts = entryComponents(h.linkname ?? '', 'hardlink target');
      const linkBase = linkParts.pop();
      if (linkBase === undefined) throw invalidArgument(`invalid tar entry "${h.name}": hardlink to the layer root`);
      const missing = () => invalidArgument(`invalid tar entry "${h.name}": hardlink target "${h.linkname}" does not exist`);
      let linkDir: string;
      try {
        linkDir = resolveInRootSync(u.root, linkParts, false);
      } catch {
        throw missing();
      }
      try {
        linkSync(path.join(linkDir, linkBase), target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw missing();
        throw err;
      }
      u.sizes.set(rel, 0); // same inode, counted once
      return;
    }
    case 'character-device':
    case 'block-device':
    case 'fifo': {
      await drain(data);
      const kind = h.type === 'fifo' ? S_IFIFO : h.type === 'block-device' ? S_IFBLK : S_IFCHR;
      native().mknod(target, kind | ((h.mode ?? 0) & 0o7777), h.devmajor ?? 0, h.devminor ?? 0);
      setMetadata(target, h, false);
      u.sizes.set(rel, 0);
      return;
    }
    default:
      throw invalidArgument(`invalid tar entry "${h.name}": unsupported type ${h.type ?? 'unknown'}`);
  }
}

async function writeFile(target: string, h: Header, data: Readable): Promise<void> {
  // O_EXCL|O_NOFOLLOW: never write through whatever might sit at this name.
  const fd = openSync(target, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, 0o600);
  try {
    for await (const chunk of data) {
      const buf = chunk as Buffer;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    }
    // chown before chmod: chown clears the set-id bits.
    fchownSync(fd, h.uid ?? 0, h.gid ?? 0);
    fchmodSync(fd, (h.mode ?? 0o644) & 0o7777);
    const mtime = mtimeOf(h);
    futimesSync(fd, mtime, mtime);
  } finally {
    closeSync(fd);
  }
  setXattrs(target, h);
}

function setMetadata(target: string, h: Header, symlink: boolean): void {
  lchownSync(target, h.uid ?? 0, h.gid ?? 0);
  const mtime = mtimeOf(h);
  if (symlink) {
    lutimesSync(target, mtime, mtime);
  } else {
    chmodSync(target, (h.mode ?? 0o755) & 0o7777);
    utimesSync(target, mtime, mtime);
  }
  setXattrs(target, h);
}

/** PAX SCHILY.xattr.* records. The addon takes C strings, so binary values are skipped. */
function setXattrs(target: string, h: Header): void {
  if (!h.pax) return;
  for (const [key, value] of Object.entries(h.pax) as Array<[string, string]>) {
    if (!key.startsWith('SCHILY.xattr.')) continue;
    if (value.includes('\0') || value.includes('\uFFFD')) continue;
    native().lsetxattr(target, key.slice('SCHILY.xattr.'.length), value);
  }
}

function mtimeOf(h: Header): Date {
  const pax = h.pax?.mtime;
  if (pax && /^\d+(\.\d+)?$/.test(pax)) return new Date(Number(pax) * 1000);
  return h.mtime ?? new Date(0);
}

function removeExisting(u: Unpacking, target: string, rel: string): void {
  rmSync(target, { recursive: true, force: true });
  const prefix = `${rel}/`;
  u.sizes.delete(rel);
  for (const k of u.sizes.keys()) if (k.startsWith(prefix)) u.sizes.delete(k);
  // A replaced directory may sit on the way to any cached one (through symlinks): resolve afresh.
  u.dirs.clear();
}

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function drain(data: Readable): Promise<void> {
  for await (const _ of data);
}
