// GET /containers/{id}/changes: what the container changed against its image,
// read from the overlay upper directory (as Docker's overlay2 driver does).
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import path from 'node:path';
import { CHANGE_ADD, CHANGE_DELETE, CHANGE_MODIFY, INIT_PATHS, type FsChange } from '../core/fs-changes.js';
import { native } from '../host/native.js';
import { getContainer } from './container-lookup.js';
import type { Daemon } from './daemon.js';
import { overlayDirs } from './container-rootfs.js';

export async function containerChanges(d: Daemon, ref: string): Promise<FsChange[]> {
  const c = getContainer(d, ref);
  const { lowers, upper } = await overlayDirs(d, c.id);
  const out: FsChange[] = [];
  walk(upper, '', lowers, out);
  return out;
}

export function isWhiteout(st: Stats): boolean {
  return st.isCharacterDevice() && st.rdev === 0;
}

export function isOpaque(hostPath: string): boolean {
  try {
    return native().lgetxattr(hostPath, 'trusted.overlay.opaque') === 'y';
  } catch {
    return false;
  }
}

function lowerStat(lowers: string[], rel: string): Stats | undefined {
  for (const l of lowers) {
    try {
      return lstatSync(path.join(l, rel));
    } catch {
      // not in this layer
    }
  }
  return undefined;
}

/** Appends the changes below upper/rel (in tree order); returns whether any was found. */
function walk(upper: string, rel: string, lowers: string[], out: FsChange[]): boolean {
  let found = false;
  for (const name of readdirSync(path.join(upper, rel)).sort()) {
    const childRel = `${rel}/${name}`;
    if (INIT_PATHS.has(childRel)) continue;
    const hasInit = (dir: string) => readdirSync(path.join(upper, dir)).some((n) => INIT_PATHS.has(`${dir}/${n}`));
    const host = path.join(upper, childRel);
    const st = lstatSync(host);
    if (isWhiteout(st)) {
      out.push({ Path: childRel, Kind: CHANGE_DELETE });
      found = true;
      continue;
    }
    const lower = lowerStat(lowers, childRel);
    if (st.isDirectory()) {
      const opaque = isOpaque(host);
      const at = out.length;
      const below = walk(upper, childRel, opaque ? [] : lowers, out);
      let kind: FsChange['Kind'] | undefined;
      if (!lower) kind = CHANGE_ADD;
      else if (opaque || !lower.isDirectory() || below || !sameDir(st, lower, hasInit(childRel))) kind = CHANGE_MODIFY;
      if (kind !== undefined) {
        // An opaque directory replaced what was below it: Docker reports it deleted, then added again.
        if (opaque && lower) out.splice(at, 0, { Path: childRel, Kind: CHANGE_DELETE });
        else out.splice(at, 0, { Path: childRel, Kind: kind });
        found = true;
      }
      continue;
    }
    out.push({ Path: childRel, Kind: lower ? CHANGE_MODIFY : CHANGE_ADD });
    found = true;
  }
  return found;
}

/** Mount points the runtime created (Docker's init layer) change a directory's mtime: then it is not compared. */
function sameDir(a: Stats, b: Stats, runtimeTouched: boolean): boolean {
  return a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && (runtimeTouched || a.mtimeMs === b.mtimeMs);
}
