// COPY/ADD --chown=user[:group]: names are looked up in the destination image's /etc/passwd and
// /etc/group (numbers are taken as they are; a user alone is also the group), with Docker's messages.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Owner } from './layer-plan.js';
import { resolveScoped, type SourceFs } from '../context/source-fs.js';

export function parseChown(chown: string, image: SourceFs, root: string): Owner {
  const parts = chown.split(':');
  if (parts.length > 2) throw new Error(`invalid chown string format: ${chown}`);
  const [userStr, groupStr] = parts.length === 1 ? [parts[0], parts[0]] : parts;
  const wrap = (err: string) => new Error(`unable to convert uid/gid chown string to host mapping: ${err}`);
  const uid = lookup(userStr, image, root, 'etc/passwd', 'user');
  if (typeof uid === 'string') throw wrap(`can't find uid for user ${userStr}: ${uid}`);
  const gid = lookup(groupStr, image, root, 'etc/group', 'group');
  if (typeof gid === 'string') throw wrap(`can't find gid for group ${groupStr}: ${gid}`);
  return { uid, gid };
}

/** The ID for a name (or number); a string is the reason it was not found. */
function lookup(name: string, image: SourceFs, root: string, file: string, kind: 'user' | 'group'): number | string {
  if (/^[+-]?\d+$/.test(name)) return Number(name);
  const rel = resolveScoped(image, file);
  let text: string;
  try {
    text = readFileSync(path.join(root, rel), 'utf8');
  } catch {
    return `open /${file}: no such file or directory`;
  }
  for (const line of text.split('\n')) {
    const f = line.trim().split(':');
    if (f[0] === name && f.length >= 3 && /^\d+$/.test(f[2])) return Number(f[2]);
  }
  return `no such ${kind}: ${name}`;
}
