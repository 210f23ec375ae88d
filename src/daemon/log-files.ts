// The files of one container log: `<log>` (conmon writes it), `<log>.1` … `<log>.N-1` (rotated, newest
// first, as Docker's json-file names them) and `<log>.live`, a second name berthd gives the current file so
// that a file conmon replaces on its own (its --log-size-max backstop) is kept, not lost; `<log>.tmp` is
// a third name for it between a rotation and conmon's reopen.
import { promises as fs, readdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';

export const rotatedName = (log: string, n: number): string => `${log}.${n}`;
export const liveName = (log: string): string => `${log}.live`;
/** Where conmon creates the file it reopens to (see prepareNext in log-rotator.ts). */
export const nextName = (log: string): string => `${log}.tmp`;

export interface LogFile {
  path: string;
  ino: number;
  size: number;
}

/**
 * The log's files oldest first, one per inode: rotated ones by number (highest first), then `.live` if
 * conmon has moved on from it, then the current file (absent between a rotation and conmon's reopen).
 */
export function listLogFiles(log: string): LogFile[] {
  const dir = path.dirname(log);
  const base = path.basename(log);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const rotated = names
    .map((n) => (n.startsWith(`${base}.`) ? /^\d+$/.exec(n.slice(base.length + 1))?.[0] : undefined))
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => b - a)
    .map((n) => rotatedName(log, n));
  const out: LogFile[] = [];
  const seen = new Set<number>();
  // Stat newest first so an inode that has two names (mid-rotation) is listed under its newest one.
  for (const p of [log, liveName(log), ...[...rotated].reverse()]) {
    const st = statQuiet(p);
    if (!st || seen.has(st.ino)) continue;
    seen.add(st.ino);
    out.push({ path: p, ino: st.ino, size: st.size });
  }
  // A `.live` file made ready for conmon's reopen and not taken yet is not part of the log. `.tmp` is
  // looked at last: conmon closes the old file before it renames `.tmp` away, so if `.tmp` is gone now,
  // whatever was seen above is what conmon writes to.
  const pending = statQuiet(nextName(log));
  const i = out.findIndex((f) => f.path === liveName(log));
  if (pending && i >= 0 && out[i].ino === pending.ino) out.splice(i, 1);
  return out.reverse();
}

/** Bytes the log's files take (each inode once). */
export function logBytes(log: string): number {
  return listLogFiles(log).reduce((n, f) => n + f.size, 0);
}

/** Deletes every file of the log (readers holding one open keep reading it). */
export async function removeLogFiles(log: string): Promise<void> {
  const files = listLogFiles(log).map((f) => f.path);
  await Promise.all([...files, liveName(log), nextName(log)].map((p) => fs.rm(p, { force: true })));
}

export function statQuiet(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}
