// HEAD|GET|PUT /containers/{id}/archive: stat, read and write paths inside a
// container, running or stopped. Every path is resolved inside the container's
// root (symlinks and ".." included), so nothing lands outside it.
import { lstatSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { encodePathStat, goFileMode, type PathStat } from '../core/fs-changes.js';
import { invalidArgument, notFound } from '../errdefs/errors.js';
import { getContainer } from './container-lookup.js';
import { containerPathOf, resolveInRoot } from './container-root-resolve.js';
import { withRootfs } from './container-rootfs.js';
import type { Daemon } from './daemon.js';
import { extractInto } from './tree-extract.js';
import { streamTree } from './tree-pack.js';

export interface ArchivePutOptions {
  noOverwriteDirNonDir: boolean;
  copyUIDGID: boolean;
}

/** Docker's path checks: an absolute container path is required. */
function checkPath(p: string | null | undefined): string {
  if (!p) throw invalidArgument('path is required');
  return p.startsWith('/') ? p : `/${p}`;
}

/** The last component stays unresolved unless the path ends in "/" or "/." (Docker's ResolvePath). */
function resolvePath(root: string, p: string): string {
  const followLast = p.endsWith('/') || p.endsWith('/.');
  const host = resolveInRoot(root, p, { followLast });
  return p.endsWith('/.') ? `${host}/.` : host;
}

function statIn(root: string, host: string, p: string, ref: string): { st: Stats; stat: PathStat } {
  let st: Stats;
  try {
    st = lstatSync(host);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Below a file is "not found" too, as in Docker (cp then extracts into the parent and says why).
    if (code === 'ENOENT' || code === 'ENOTDIR') throw notFound(`Could not find the file ${p} in container ${ref}`);
    throw err;
  }
  if (p.endsWith('/') && !p.endsWith('/.') && !st.isDirectory()) throw invalidArgument(`lstat ${host}/: not a directory`);
  let linkTarget = '';
  if (st.isSymbolicLink()) linkTarget = containerPathOf(root, resolveInRoot(root, p, { followLast: true }));
  const name = path.posix.basename(p.replace(/\/+$/, '')) || '/';
  return {
    st,
    stat: { name, size: st.size, mode: goFileMode(st.mode), mtime: st.mtime.toISOString(), linkTarget },
  };
}

export async function containerArchiveStat(d: Daemon, ref: string, rawPath: string | null): Promise<string> {
  const p = checkPath(rawPath);
  const c = getContainer(d, ref);
  return withRootfs(d, c, async (root) => encodePathStat(statIn(root, resolvePath(root, p), p, ref).stat));
}

/** Streams a tar of the path; `start` receives the stat header before any byte is written. */
export async function containerArchiveGet(
  d: Daemon,
  ref: string,
  rawPath: string | null,
  start: (statHeader: string) => Writable,
): Promise<void> {
  const p = checkPath(rawPath);
  const c = getContainer(d, ref);
  await withRootfs(d, c, async (root) => {
    const host = resolvePath(root, p);
    const { stat } = statIn(root, host, p, ref);
    const name = p.endsWith('/.') ? '.' : path.posix.basename(p.replace(/\/+$/, '')) || '.';
    await streamTree(start(encodePathStat(stat)), host, name);
  });
}

export async function containerArchivePut(
  d: Daemon,
  ref: string,
  rawPath: string | null,
  body: Readable,
  opts: ArchivePutOptions,
): Promise<void> {
  const p = checkPath(rawPath);
  const c = getContainer(d, ref);
  if (c.hostConfig.ReadonlyRootfs) throw invalidArgument('container rootfs is marked read-only');
  await withRootfs(d, c, async (root) => {
    const host = resolveInRoot(root, p, { followLast: true });
    let st: Stats;
    try {
      st = statSync(host);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(`Could not find the file ${p} in container ${ref}`);
      throw err;
    }
    if (!st.isDirectory()) throw invalidArgument('extraction point is not a directory');
    await extractInto(root, containerPathOf(root, host), body, {
      noOverwriteDirNonDir: opts.noOverwriteDirNonDir,
      owner: opts.copyUIDGID ? undefined : { uid: 0, gid: 0 },
    });
  });
}
