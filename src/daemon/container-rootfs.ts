// Gives the filesystem verbs the container's merged root: the live mount of a
// running container, or a temporary mount of a stopped one (unmounted after).
import { mkdtempSync, promises as fs, readdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import type { ContainerRecord } from '../core/containers.js';
import { isMounted, mountAll, unmount } from '../host/mount.js';
import { containerFiles } from './container-files.js';
import type { Daemon } from './daemon.js';

/** Runs `fn` with the host path of the container's merged root filesystem. */
export async function withRootfs<T>(d: Daemon, c: ContainerRecord, fn: (root: string) => Promise<T>): Promise<T> {
  const files = containerFiles(d, c.id);
  if (isMounted(files.rootfs)) return fn(files.rootfs);
  // Not mounted: hold the container's lock so a start cannot mount it twice meanwhile.
  return d.lock(c.id, async () => {
    if (isMounted(files.rootfs)) return fn(files.rootfs);
    const dir = mkdtempSync(path.join(files.dir, TEMP_ROOT_PREFIX));
    try {
      mountAll(await d.snapshots.mounts(c.id), dir);
      try {
        return await fn(dir);
      } finally {
        unmount(dir);
      }
    } finally {
      await fs.rmdir(dir).catch(() => {});
    }
  });
}

const TEMP_ROOT_PREFIX = '.fs-';

/** Temporary roots a killed daemon left mounted (export, cp of a stopped container): unmounted and removed. */
export function dropTemporaryRoots(d: Daemon, id: string): void {
  const dir = containerFiles(d, id).dir;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(TEMP_ROOT_PREFIX)) continue;
    unmount(path.join(dir, name));
    // Never recursive: should anything still be mounted there, its files must not go.
    try {
      rmdirSync(path.join(dir, name));
    } catch {
      // not empty or gone: left for the container's removal
    }
  }
}

/** The lower directories and the upper directory of the container's overlay snapshot. */
export async function overlayDirs(d: Daemon, id: string): Promise<{ lowers: string[]; upper: string }> {
  const [m] = await d.snapshots.mounts(id);
  const opt = (name: string) => m.options.find((o) => o.startsWith(`${name}=`))?.slice(name.length + 1) ?? '';
  return { lowers: opt('lowerdir').split(':').filter(Boolean), upper: opt('upperdir') };
}
