// Pure helpers for the container filesystem verbs: change kinds, Docker's
// init-layer paths, Go FileMode bits for the archive stat header.

export interface FsChange {
  Path: string;
  /** 0 modified, 1 added, 2 deleted (Docker's archive.ChangeType). */
  Kind: 0 | 1 | 2;
}

export const CHANGE_MODIFY = 0;
export const CHANGE_ADD = 1;
export const CHANGE_DELETE = 2;

/**
 * Paths Docker keeps in a container's init layer (mount points the runtime
 * creates); they never show up in `diff` or in a commit.
 */
export const INIT_PATHS: ReadonlySet<string> = new Set([
  '/.dockerenv',
  '/dev',
  '/dev/pts',
  '/dev/shm',
  '/dev/console',
  '/proc',
  '/sys',
  '/etc/hosts',
  '/etc/hostname',
  '/etc/resolv.conf',
  '/etc/mtab',
]);

// Go's os.FileMode type bits.
const GO_DIR = 2 ** 31;
const GO_SYMLINK = 2 ** 27;
const GO_DEVICE = 2 ** 26;
const GO_PIPE = 2 ** 25;
const GO_SOCKET = 2 ** 24;
const GO_SETUID = 2 ** 23;
const GO_SETGID = 2 ** 22;
const GO_CHARDEV = 2 ** 21;
const GO_STICKY = 2 ** 20;

/** A POSIX st_mode as Go's os.FileMode (what Docker's stat header carries). */
export function goFileMode(mode: number): number {
  let m = mode & 0o777;
  switch (mode & 0o170000) {
    case 0o040000: m += GO_DIR; break;
    case 0o120000: m += GO_SYMLINK; break;
    case 0o060000: m += GO_DEVICE; break;
    case 0o020000: m += GO_DEVICE + GO_CHARDEV; break;
    case 0o010000: m += GO_PIPE; break;
    case 0o140000: m += GO_SOCKET; break;
  }
  if (mode & 0o4000) m += GO_SETUID;
  if (mode & 0o2000) m += GO_SETGID;
  if (mode & 0o1000) m += GO_STICKY;
  return m;
}

export const goModeIsDir = (m: number): boolean => m >= GO_DIR;

export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

export function encodePathStat(s: PathStat): string {
  return Buffer.from(JSON.stringify(s)).toString('base64');
}

export function decodePathStat(header: string): PathStat {
  return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as PathStat;
}
