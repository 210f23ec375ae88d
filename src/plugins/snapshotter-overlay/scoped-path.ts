// Resolves a path inside a layer directory as if that directory were "/":
// symlinks are followed but can never lead outside it (like a chroot).
import { lstatSync, mkdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../../errdefs/errors.js';

const MAX_LINKS = 40;

/**
 * Returns the real path of directory `components` (relative to `root`),
 * creating missing directories (0755) when `create` is set.
 */
export function resolveInRootSync(root: string, components: string[], create: boolean): string {
  const resolved: string[] = [];
  const queue = [...components];
  let links = 0;
  while (queue.length > 0) {
    const c = queue.shift()!;
    if (c === '' || c === '.') continue;
    if (c === '..') {
      resolved.pop(); // ".." at the root stays at the root
      continue;
    }
    const candidate = path.join(root, ...resolved, c);
    let st;
    try {
      st = lstatSync(candidate);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !create) throw err;
      mkdirSync(candidate, 0o755);
      resolved.push(c);
      continue;
    }
    if (st.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw invalidArgument(`too many levels of symbolic links resolving ${components.join('/')}`);
      const target = readlinkSync(candidate);
      if (path.posix.isAbsolute(target)) resolved.length = 0;
      queue.unshift(...target.split('/'));
      continue;
    }
    if (!st.isDirectory()) throw invalidArgument(`${path.posix.join(...resolved, c)} is not a directory`);
    resolved.push(c);
  }
  return path.join(root, ...resolved);
}

/**
 * Cleans a tar entry name to components relative to the layer root.
 * Leading "/" and "./" are dropped; any ".." component is refused.
 */
export function entryComponents(name: string, what = 'tar entry'): string[] {
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw invalidArgument(`invalid ${what} "${name}": path escapes the layer root`);
  return parts;
}
