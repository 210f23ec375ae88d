// cgroup v2's `favordynmods` mount option, which berthd turns on at start-up (--cgroup-favordynmods).
//
// Moving a process into a cgroup takes a global lock whose writer side waits for an RCU grace period when
// no migration happened in the last few milliseconds: about 10 ms on this kind of machine, paid by every
// `runc create` and `runc exec`. With favordynmods the kernel keeps that lock in its writer-friendly mode,
// and a migration costs ~0.1 ms; forks and exits pay a few atomic operations more. The lock is global, so
// the option on any cgroup2 mount (the unified one on a hybrid cgroup v1 host) speeds up every hierarchy.
// It lasts until the next boot, like the sysctls dockerd sets.
import { readFileSync } from 'node:fs';
import {
  MS_NOATIME,
  MS_NODEV,
  MS_NODIRATIME,
  MS_NOEXEC,
  MS_NOSUID,
  MS_RDONLY,
  MS_RELATIME,
  MS_REMOUNT,
  MS_STRICTATIME,
  native,
} from './native.js';

export interface Cgroup2Mount {
  target: string;
  /** Per-mount flags (mountinfo field 6): a remount must repeat them or the kernel clears them. */
  mountOptions: string[];
  /** Superblock options (after the separator): cgroup2 clears those a remount does not name. */
  superOptions: string[];
}

/** The first cgroup2 mount in a /proc/self/mountinfo text. */
export function findCgroup2Mount(mountinfo: string): Cgroup2Mount | undefined {
  for (const line of mountinfo.split('\n')) {
    const fields = line.split(' ');
    const sep = fields.indexOf('-');
    if (sep < 0 || fields[sep + 1] !== 'cgroup2') continue;
    return {
      target: unescapeMountPath(fields[4]),
      mountOptions: fields[5].split(','),
      superOptions: (fields[sep + 3] ?? '').split(',').filter(Boolean),
    };
  }
  return undefined;
}

/** The mount(2) flags and data that add favordynmods and keep everything else as it is. */
export function favordynmodsRemount(m: Cgroup2Mount): { flags: number; data: string } {
  const bits: Record<string, number> = {
    ro: MS_RDONLY,
    nosuid: MS_NOSUID,
    nodev: MS_NODEV,
    noexec: MS_NOEXEC,
    noatime: MS_NOATIME,
    nodiratime: MS_NODIRATIME,
    relatime: MS_RELATIME,
    strictatime: MS_STRICTATIME,
  };
  let flags = MS_REMOUNT;
  for (const o of m.mountOptions) flags |= bits[o] ?? 0;
  const data = [...m.superOptions.filter((o) => o !== 'rw' && o !== 'ro'), 'favordynmods'].join(',');
  return { flags, data };
}

export type FavordynmodsResult = 'enabled' | 'already' | 'no-cgroup2';

/** Turns favordynmods on; throws when the kernel refuses (older than 6.0, or no privilege). */
export function enableFavordynmods(mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): FavordynmodsResult {
  const m = findCgroup2Mount(mountinfo);
  if (!m) return 'no-cgroup2';
  if (m.superOptions.includes('favordynmods')) return 'already';
  const { flags, data } = favordynmodsRemount(m);
  native().mount(null, m.target, null, flags, data);
  return 'enabled';
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}
