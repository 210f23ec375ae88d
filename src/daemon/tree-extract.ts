// Extracts a tar stream into a directory of a container's root filesystem
// (PUT /containers/{id}/archive). Each entry's parent is resolved inside the
// root, so neither ".." nor a symlink (in the container or in the tar itself)
// can make a write land outside it.
import { createWriteStream, promises as fs, lstatSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar, { type Header } from 'tar-stream';
import { BerthError, invalidArgument } from '../errdefs/errors.js';
import { native } from '../host/native.js';
import { resolveInRoot } from './container-root-resolve.js';

export interface ExtractOptions {
  noOverwriteDirNonDir: boolean;
  /** Owner for every entry (cp without -a: the container's root); undefined keeps the tar's. */
  owner?: { uid: number; gid: number };
}

/** Extracts `body` into container directory `destDir` (absolute, inside `root`). */
export async function extractInto(root: string, destDir: string, body: Readable, opts: ExtractOptions): Promise<void> {
  const extract = tar.extract();
  const dirTimes: Array<{ host: string; mtime: Date }> = [];
  body.on('error', (err) => extract.destroy(err));
  body.pipe(extract as unknown as NodeJS.WritableStream);
  try {
    for await (const entry of extract) {
      const h = entry.header;
      try {
        const target = entryPath(destDir, h.name);
        if (target === undefined) continue; // the destination itself ("./")
        const host = await placeEntry(root, destDir, target, h, entry as unknown as NodeJS.ReadableStream, opts);
        if (host && h.type === 'directory') dirTimes.push({ host, mtime: h.mtime ?? new Date() });
      } finally {
        entry.resume();
      }
    }
  } catch (err) {
    body.unpipe(extract as unknown as NodeJS.WritableStream);
    body.resume();
    if (err instanceof BerthError) throw err;
    throw invalidArgument(`Error processing tar file(${(err as Error).message})`);
  }
  // Directory times last: extracting their children changed them.
  for (const { host, mtime } of dirTimes.reverse()) await fs.utimes(host, mtime, mtime).catch(() => {});
}

/** The container path of an entry; refuses names that leave `destDir`. */
function entryPath(destDir: string, name: string): string | undefined {
  const joined = path.posix.join(destDir, name);
  const rel = path.posix.relative(destDir, joined);
  if (rel === '') return undefined;
  if (rel === '..' || rel.startsWith('../') || path.posix.isAbsolute(rel)) {
    throw invalidArgument(`invalid tar entry "${name}": path escapes the destination ${destDir}`);
  }
  return joined;
}

async function placeEntry(
  root: string,
  destDir: string,
  target: string,
  h: Header,
  entry: NodeJS.ReadableStream,
  opts: ExtractOptions,
): Promise<string | undefined> {
  const parent = resolveInRoot(root, path.posix.dirname(target), { create: true });
  const host = path.join(parent, path.posix.basename(target));
  const isDir = h.type === 'directory';
  let existing: Stats | undefined;
  try {
    existing = lstatSync(host);
  } catch {
    existing = undefined;
  }
  if (existing) {
    if (opts.noOverwriteDirNonDir && existing.isDirectory() && !isDir) {
      throw invalidArgument(`cannot overwrite directory "${target}" with non-directory "${h.name}"`);
    }
    if (opts.noOverwriteDirNonDir && !existing.isDirectory() && isDir) {
      throw invalidArgument(`cannot overwrite non-directory "${target}" with directory "${h.name}"`);
    }
    if (!(isDir && existing.isDirectory())) await fs.rm(host, { recursive: true, force: true });
  }
  const mode = (h.mode ?? (isDir ? 0o755 : 0o644)) & 0o7777;
  switch (h.type) {
    case 'directory':
      if (!existing?.isDirectory()) await fs.mkdir(host, mode);
      break;
    case 'file':
    case 'contiguous-file':
    case undefined:
      // "wx": O_EXCL never follows a symlink planted at the last component.
      await pipeline(entry as unknown as Readable, createWriteStream(host, { flags: 'wx', mode }));
      break;
    case 'symlink':
      await fs.symlink(h.linkname ?? '', host);
      break;
    case 'link': {
      const linkPath = resolveInRoot(root, entryPath(destDir, h.linkname ?? '') ?? destDir, { followLast: false });
      await fs.link(linkPath, host);
      break;
    }
    case 'character-device':
      native().mknod(host, 0o020000 | mode, h.devmajor ?? 0, h.devminor ?? 0);
      break;
    case 'block-device':
      native().mknod(host, 0o060000 | mode, h.devmajor ?? 0, h.devminor ?? 0);
      break;
    case 'fifo':
      native().mknod(host, 0o010000 | mode, 0, 0);
      break;
    default:
      return undefined; // pax headers and the like carry nothing to write
  }
  const uid = opts.owner?.uid ?? h.uid ?? 0;
  const gid = opts.owner?.gid ?? h.gid ?? 0;
  await fs.lchown(host, uid, gid);
  if (h.type !== 'symlink') {
    await fs.chmod(host, mode); // after chown, which clears setuid bits
    if (h.type !== 'directory') await fs.utimes(host, h.mtime ?? new Date(), h.mtime ?? new Date());
  } else {
    await fs.lutimes(host, h.mtime ?? new Date(), h.mtime ?? new Date()).catch(() => {});
  }
  return host;
}
