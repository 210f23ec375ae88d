// A SourceFs over a directory on the host: an image's root filesystem mounted read-only (COPY --from) or a
// downloaded file (ADD <url>). Hashes are computed lazily as Docker's lazy source does (tar header from
// the file's stat, uname/gname looked up on the host, then the bytes).
import { createReadStream, lstatSync, readdirSync, readFileSync, readlinkSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { EntryType, SourceEntry, SourceFs } from './source-fs.js';
import { tarsumHash } from './tarsum.js';

const S_IFMT = 0o170000;
const TYPE_BITS: Record<EntryType, number> = {
  file: 0o100000, dir: 0o040000, symlink: 0o120000, char: 0o020000, block: 0o060000, fifo: 0o010000,
};
const TYPEFLAG: Record<EntryType, string> = { file: '0', dir: '5', symlink: '2', char: '3', block: '4', fifo: '6' };

export class DirFs implements SourceFs {
  private readonly sums = new Map<string, string>();

  constructor(readonly root: string) {}

  private host(rel: string): string {
    return rel === '' ? this.root : path.join(this.root, rel);
  }

  lstat(rel: string): SourceEntry | undefined {
    let st: Stats;
    try {
      st = lstatSync(this.host(rel));
    } catch {
      return undefined;
    }
    const type = entryType(st);
    if (!type) return undefined;
    return {
      type,
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      size: type === 'file' ? st.size : 0,
      mtime: st.mtime,
      linkname: type === 'symlink' ? readlinkSync(this.host(rel)) : '',
      devmajor: type === 'char' || type === 'block' ? Number(BigInt(st.rdev) >> 8n) & 0xfff : 0,
      devminor: type === 'char' || type === 'block' ? (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00) : 0,
    };
  }

  readdir(rel: string): string[] {
    try {
      return readdirSync(this.host(rel)).sort();
    } catch {
      return [];
    }
  }

  read(rel: string): Readable {
    return createReadStream(this.host(rel));
  }

  async hash(rel: string): Promise<string> {
    const cached = this.sums.get(rel);
    if (cached) return cached;
    const e = this.lstat(rel);
    if (!e) return rel; // as Docker: a missing file (a broken link) hashes as its path
    const users = hostNames();
    const h = tarsumHash({
      name: e.type === 'dir' ? `${rel}/` : rel,
      mode: e.mode | TYPE_BITS[e.type],
      uid: e.uid,
      gid: e.gid,
      size: e.size,
      typeflag: TYPEFLAG[e.type],
      linkname: e.linkname,
      uname: users.users.get(e.uid) ?? '',
      gname: users.groups.get(e.gid) ?? '',
      devmajor: e.devmajor,
      devminor: e.devminor,
    });
    if (e.type === 'file' && e.size > 0) for await (const chunk of this.read(rel)) h.update(chunk as Buffer);
    const sum = h.digest('hex');
    this.sums.set(rel, sum);
    return sum;
  }
}

function entryType(st: Stats): EntryType | undefined {
  switch (st.mode & S_IFMT) {
    case 0o100000: return 'file';
    case 0o040000: return 'dir';
    case 0o120000: return 'symlink';
    case 0o020000: return 'char';
    case 0o060000: return 'block';
    case 0o010000: return 'fifo';
    default: return undefined; // sockets are left out, as Docker does
  }
}

let names: { users: Map<number, string>; groups: Map<number, string> } | undefined;

/** The daemon host's user and group names (Go's archive/tar looks them up for the header). */
function hostNames(): { users: Map<number, string>; groups: Map<number, string> } {
  if (names) return names;
  const parse = (file: string) => {
    const m = new Map<number, string>();
    try {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const f = line.split(':');
        if (f.length >= 3 && /^\d+$/.test(f[2]) && !m.has(Number(f[2]))) m.set(Number(f[2]), f[0]);
      }
    } catch {
      // no such file: no names
    }
    return m;
  };
  names = { users: parse('/etc/passwd'), groups: parse('/etc/group') };
  return names;
}
