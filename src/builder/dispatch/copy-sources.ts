// COPY/ADD sources to copy infos with Docker's content hashes (moby builder/dockerfile/copy.go): a file
// hashes as "file:<tarsum>", a directory as "dir:<sha256 of its entries' sums>", several sources as
// "multi:<…>". The hash names the step in its "#(nop)" command, which is what the cache compares.
import { containsWildcards, globMatch } from '../context/glob.js';
import { hashStringSlice } from '../context/tarsum.js';
import { cleanRel, resolveScoped, walk, type SourceFs } from '../context/source-fs.js';

export interface CopyInfo {
  fs: SourceFs;
  /** The source as named (symlinks unresolved: a copied file keeps the name it was asked by). */
  path: string;
  hash: string;
  /** ADD: a local archive is extracted (never one fetched from a URL). */
  decompress: boolean;
}

/** A source the build cannot use; the message is Docker's, the caller prefixes "COPY failed: ". */
export class CopySourceError extends Error {}

export interface SourceOptions {
  /** The build context (not an image): paths may not climb out of it, and a miss mentions .dockerignore. */
  isContext: boolean;
  decompress: boolean;
}

/** The copy infos of one source word (wildcards expanded). */
export async function copyInfosFor(fs: SourceFs, orig: string, opts: SourceOptions): Promise<CopyInfo[]> {
  if (opts.isContext) {
    const cleaned = cleanPath(orig);
    if (cleaned === '..' || cleaned.startsWith('../')) {
      throw new CopySourceError(`forbidden path outside the build context: ${orig} ()`);
    }
  }
  let p = orig.replace(/^\/+/, '');
  if (p.startsWith('./')) p = p.slice(2);
  if (containsWildcards(p)) {
    const out: CopyInfo[] = [];
    for (const rel of walk(fs, '')) {
      if (globMatch(p, rel)) out.push(await copyInfoFor(fs, rel, opts));
    }
    return out;
  }
  return [await copyInfoFor(fs, p, opts)];
}

async function copyInfoFor(fs: SourceFs, p: string, opts: SourceOptions): Promise<CopyInfo> {
  const resolved = resolveScoped(fs, cleanRel(p));
  const e = fs.lstat(resolved);
  if (!e) {
    const stat = `stat ${p === '' ? '.' : p}: file does not exist`;
    throw new CopySourceError(opts.isContext ? `file not found in build context or excluded by .dockerignore: ${stat}` : stat);
  }
  const info = { fs, path: p, decompress: opts.decompress };
  if (e.type !== 'dir') return { ...info, hash: `file:${await fs.hash(resolved)}` };
  const sums: string[] = [];
  for (const rel of walk(fs, resolved)) sums.push(await fs.hash(rel));
  return { ...info, hash: hashStringSlice('dir', sums.sort()) };
}

/** The hash a step names its sources by. */
export function sourcesHash(infos: readonly CopyInfo[]): string {
  return infos.length === 1 ? infos[0].hash : hashStringSlice('multi', infos.map((i) => i.hash));
}

/** Go's path.Clean, keeping a leading ".." (cleanRel drops it). */
function cleanPath(p: string): string {
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part === '..' && rooted) continue;
    else out.push(part);
  }
  const s = out.join('/');
  return rooted ? `/${s}` : s || '.';
}
