// The files of a build context directory, as the docker CLI sends them: walked in lexical order, parents
// first (Go's filepath.Walk), .dockerignore applied; an excluded directory is entered only when an
// exception may re-include something in it; devices, fifos and sockets stay out; a file seen again
// through another hard link becomes a link to the first name. Shared by the CLI (which tars them) and
// berthd (which reads a local context directory in place).
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import type { PatternMatcher } from './dockerignore.js';

export interface ContextWalkEntry {
  /** Slash-separated path relative to the context. */
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'link';
  /** Permission bits (mode & 0o7777). */
  mode: number;
  mtime: Date;
  /** Bytes of a regular file; 0 otherwise. */
  size: number;
  /** A symlink's target, or the first name of a hard-linked file. */
  linkname?: string;
  /** The entry on the host. */
  path: string;
  /** What identifies this version of the entry (inode, change time): see the daemon's hash cache. */
  stat: Stats;
}

export async function walkContextDir(root: string, pm: PatternMatcher, skipDockerignore = false): Promise<ContextWalkEntry[]> {
  const out: ContextWalkEntry[] = [];
  const links = new Map<string, string>();
  const walk = async (dirRel: string): Promise<void> => {
    const names = (await fs.readdir(dirRel === '' ? root : path.join(root, dirRel))).sort();
    const stats = await Promise.all(names.map((n) => fs.lstat(path.join(root, dirRel, n)).catch(() => undefined)));
    for (let i = 0; i < names.length; i++) {
      const rel = dirRel === '' ? names[i] : `${dirRel}/${names[i]}`;
      const st = stats[i];
      if (!st || (skipDockerignore && rel === '.dockerignore')) continue;
      if (pm.matches(rel)) {
        if (st.isDirectory() && !pm.canSkipExcludedDir(rel)) await walk(rel);
        continue;
      }
      const entry = await entryOf(root, rel, st, links);
      if (entry) out.push(entry);
      if (st.isDirectory()) await walk(rel);
    }
  };
  await walk('');
  return out;
}

async function entryOf(root: string, rel: string, st: Stats, links: Map<string, string>): Promise<ContextWalkEntry | undefined> {
  const host = path.join(root, rel);
  const base = { name: rel, mode: st.mode & 0o7777, mtime: st.mtime, size: 0, path: host, stat: st };
  if (st.isDirectory()) return { ...base, type: 'directory' };
  if (st.isSymbolicLink()) return { ...base, type: 'symlink', linkname: await fs.readlink(host) };
  if (!st.isFile()) return undefined;
  if (st.nlink > 1) {
    const key = `${st.dev}:${st.ino}`;
    const first = links.get(key);
    if (first !== undefined) return { ...base, type: 'link', linkname: first };
    links.set(key, rel);
  }
  return { ...base, type: 'file', size: st.size };
}
