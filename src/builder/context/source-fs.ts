// A read-only file tree COPY and ADD take files from: the build context (a received tar and its index) or
// an image's root filesystem (COPY --from). Paths are slash-separated, relative, cleaned; "" is the root.
import type { Readable } from 'node:stream';

export type EntryType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo';

export interface SourceEntry {
  type: EntryType;
  /** Permission bits with setuid, setgid and sticky (mode & 0o7777). */
  mode: number;
  uid: number;
  gid: number;
  /** Bytes of a regular file; 0 otherwise. */
  size: number;
  mtime: Date;
  /** A symlink's target as written. */
  linkname: string;
  devmajor: number;
  devminor: number;
}

export interface SourceFs {
  /** The entry itself (a symlink is not followed); undefined when missing. */
  lstat(rel: string): SourceEntry | undefined;
  /** Child names of a directory, sorted as Go's filepath.Walk visits them. */
  readdir(rel: string): string[];
  /** The contents of a regular file. */
  read(rel: string): Readable;
  /** Docker's per-path content hash (hex), as the classic builder's cache keys use it. */
  hash(rel: string): Promise<string>;
}

/** path.Clean for a source path, made relative: "/a/./b/" → "a/b", "." → "". */
export function cleanRel(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

export const joinRel = (dir: string, name: string): string => (dir === '' ? name : `${dir}/${name}`);

export const baseName = (rel: string): string => rel.slice(rel.lastIndexOf('/') + 1);

export const dirName = (rel: string): string => {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
};

const MAX_LINKS = 255;

/**
 * Resolves `p` inside the tree as if its root were "/" (FollowSymlinkInScope): symlinks are followed,
 * ".." stops at the root, nothing leads outside. The final component is followed when `followLast`.
 * Returns the resolved relative path (which may not exist).
 */
export function resolveScoped(fs: SourceFs, p: string, followLast = true): string {
  const resolved: string[] = [];
  const queue = p.split('/');
  let links = 0;
  while (queue.length > 0) {
    const c = queue.shift()!;
    if (c === '' || c === '.') continue;
    if (c === '..') {
      resolved.pop();
      continue;
    }
    const rel = [...resolved, c].join('/');
    const e = fs.lstat(rel);
    const last = !queue.some((q) => q !== '' && q !== '.');
    if (e?.type === 'symlink' && (!last || followLast)) {
      if (++links > MAX_LINKS) throw new Error(`too many links in ${p}`);
      if (e.linkname.startsWith('/')) resolved.length = 0;
      queue.unshift(...e.linkname.split('/'));
      continue;
    }
    resolved.push(c);
    if (!e) {
      // Missing: the rest is appended as written (cleaned).
      for (const rest of queue) {
        if (rest === '' || rest === '.') continue;
        if (rest === '..') resolved.pop();
        else resolved.push(rest);
      }
      break;
    }
  }
  return resolved.join('/');
}

/** Every path under `rel` (itself included unless it is the root), depth first in lexical order. */
export function* walk(fs: SourceFs, rel: string): Generator<string> {
  if (rel !== '') yield rel;
  const e = rel === '' ? undefined : fs.lstat(rel);
  if (rel !== '' && e?.type !== 'dir') return;
  for (const name of fs.readdir(rel)) yield* walk(fs, joinRel(rel, name));
}
