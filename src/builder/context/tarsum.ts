// The per-file hash Docker's classic builder keys COPY/ADD cache entries with (pkg/tarsum version 1):
// sha256 over selected tar header fields ("name" + value, "mode" + value, …, mtime left out, uname and
// gname blank for a received context) followed by the file's bytes.
import { createHash, type Hash } from 'node:crypto';

export interface TarsumHeader {
  name: string;
  /** The header's mode field as a number (type bits included when the writer put them there). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** The tar typeflag character: '0' file, '5' dir, '2' symlink, '1' hard link… */
  typeflag: string;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
  /** Extended attributes (SCHILY.xattr.* records), hashed sorted by name. */
  xattrs?: Record<string, string>;
}

/** A sha256 already fed with the header; feed the file's bytes next. */
export function tarsumHash(h: TarsumHeader): Hash {
  const hash = createHash('sha256');
  hash.update(
    `name${h.name}mode${h.mode}uid${h.uid}gid${h.gid}size${h.size}typeflag${h.typeflag}linkname${h.linkname}` +
      `uname${h.uname}gname${h.gname}devmajor${h.devmajor}devminor${h.devminor}`,
  );
  for (const key of Object.keys(h.xattrs ?? {}).sort()) hash.update(key + h.xattrs![key]);
  return hash;
}

/** Docker's hash over several hashes: "<prefix>:" + sha256 of them joined with ",". */
export function hashStringSlice(prefix: string, items: string[]): string {
  return `${prefix}:${createHash('sha256').update(items.join(',')).digest('hex')}`;
}
