// Resolves a path inside a container's root filesystem as if that root were
// "/": symlinks are followed, ".." stops at the root, and nothing can lead
// outside it (like a chroot). Used by the archive endpoints.
import { lstatSync, mkdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../errdefs/errors.js';

const MAX_LINKS = 255;

export interface ResolveOptions {
  /** Follow a symlink in the last component (default true). */
  followLast?: boolean;
  /** Create missing directories (0755) along the way. */
  create?: boolean;
}

/**
 * Returns the host path of container path `p` under `root`. Missing
 * components are appended as they are (they cannot be symlinks).
 */
export function resolveInRoot(root: string, p: string, opts: ResolveOptions = {}): string {
  const followLast = opts.followLast ?? true;
  const resolved: string[] = [];
  const queue = p.split('/');
  let links = 0;
  let missing = false;
  while (queue.length > 0) {
    const c = queue.shift()!;
    if (c === '' || c === '.') continue;
    if (c === '..') {
      resolved.pop(); // ".." at the root stays at the root
      continue;
    }
    const candidate = path.join(root, ...resolved, c);
    if (missing) {
      resolved.push(c);
      continue;
    }
    let st;
    try {
      st = lstatSync(candidate);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      if (opts.create && queue.some((q) => q !== '' && q !== '.')) {
        mkdirSync(candidate, 0o755);
        resolved.push(c);
        continue;
      }
      missing = true;
      resolved.push(c);
      continue;
    }
    const last = !queue.some((q) => q !== '' && q !== '.');
    if (st.isSymbolicLink() && (!last || followLast)) {
      if (++links > MAX_LINKS) throw invalidArgument(`too many levels of symbolic links: ${p}`);
      const target = readlinkSync(candidate);
      if (target.startsWith('/')) resolved.length = 0;
      queue.unshift(...target.split('/'));
      continue;
    }
    resolved.push(c);
  }
  return path.join(root, ...resolved);
}

/** The container path (starting with "/") of a host path under `root`. */
export function containerPathOf(root: string, hostPath: string): string {
  const rel = path.relative(root, hostPath);
  if (rel.startsWith('..')) throw invalidArgument(`${hostPath} is outside the container root`);
  return `/${rel}`;
}
