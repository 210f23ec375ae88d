// The local half of `berth cp`: tars a host path (with a chosen root name)
// and extracts a tar into a host directory (renaming its root), as docker/cli's
// archive.CopyTo / TarWithOptions do.
import { createReadStream, createWriteStream, promises as fs, lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar, { type Header } from 'tar-stream';

type Entry = Partial<Header> & Pick<Header, 'name'>;

/** A tar of `src` whose root entry is named `rootName` (a directory's children follow as rootName/...). */
export function packLocal(src: string, rootName: string): Readable {
  const pack = tar.pack();
  const links = new Map<string, string>();
  const add = (h: Entry, body?: Buffer) =>
    new Promise<void>((resolve, reject) => {
      const cb = (err?: Error | null) => (err ? reject(err) : resolve());
      if (h.type === 'file' && body) pack.entry(h, body, cb);
      else pack.entry(h, cb);
    });
  const one = async (host: string, name: string, st: Stats): Promise<void> => {
    const base: Entry = { name, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
    if (st.isDirectory()) {
      await add({ ...base, name: name === '.' ? './' : `${name}/`, type: 'directory' });
      for (const child of readdirSync(host).sort()) {
        await one(path.join(host, child), `${name}/${child}`, lstatSync(path.join(host, child)));
      }
    } else if (st.isSymbolicLink()) {
      await add({ ...base, type: 'symlink', linkname: readlinkSync(host) });
    } else if (st.isFile()) {
      const key = `${st.dev}:${st.ino}`;
      if (st.nlink > 1 && links.has(key)) {
        await add({ ...base, type: 'link', linkname: links.get(key)! });
        return;
      }
      if (st.nlink > 1) links.set(key, name);
      if (st.size === 0) {
        await add({ ...base, type: 'file', size: 0 }, Buffer.alloc(0));
        return;
      }
      await new Promise<void>((resolve, reject) => {
        const entry = pack.entry({ ...base, type: 'file', size: st.size }, (err) => (err ? reject(err) : resolve()));
        const rs = createReadStream(host);
        rs.on('error', reject);
        rs.pipe(entry as unknown as NodeJS.WritableStream);
      });
    } else if (st.isFIFO()) {
      await add({ ...base, type: 'fifo' });
    }
  };
  void (async () => {
    try {
      await one(src, rootName, lstatSync(src));
      pack.finalize();
    } catch (err) {
      pack.destroy(err as Error);
    }
  })();
  return pack as unknown as Readable;
}

/**
 * Extracts `tarStream` into directory `dstDir`; entries named `from` or `from/...` are renamed to
 * `to` (the rebase docker/cli does for file-onto-file and new destinations).
 */
export async function extractLocal(tarStream: Readable, dstDir: string, rebase?: { from: string; to: string }): Promise<void> {
  const extract = tar.extract();
  tarStream.on('error', (err) => extract.destroy(err));
  tarStream.pipe(extract as unknown as NodeJS.WritableStream);
  const dirTimes: Array<[string, Date]> = [];
  const asRoot = process.getuid?.() === 0;
  for await (const entry of extract) {
    const h = entry.header;
    try {
      let name = h.name.replace(/\/+$/, '');
      if (rebase && (name === rebase.from || name.startsWith(`${rebase.from}/`))) name = rebase.to + name.slice(rebase.from.length);
      const target = path.join(dstDir, name);
      const rel = path.relative(dstDir, target);
      if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`invalid tar entry ${h.name}: path escapes ${dstDir}`);
      if (rel === '') continue;
      let existing: Stats | undefined;
      try {
        existing = lstatSync(target);
      } catch {
        existing = undefined;
      }
      if (existing && !(existing.isDirectory() && h.type === 'directory')) await fs.rm(target, { recursive: true, force: true });
      const mode = h.mode & 0o7777;
      if (h.type === 'directory') {
        if (!existing?.isDirectory()) await fs.mkdir(target, { mode, recursive: true });
        dirTimes.push([target, h.mtime]);
      } else if (h.type === 'symlink') {
        await fs.symlink(h.linkname, target);
      } else if (h.type === 'link') {
        let link = h.linkname;
        if (rebase && (link === rebase.from || link.startsWith(`${rebase.from}/`))) link = rebase.to + link.slice(rebase.from.length);
        await fs.link(path.join(dstDir, link), target);
      } else if (h.type === 'file' || h.type === 'contiguous-file') {
        await pipeline(entry as unknown as Readable, createWriteStream(target, { flags: 'wx', mode }));
      } else {
        continue; // devices and fifos need privileges docker's CLI does not assume
      }
      if (asRoot) await fs.lchown(target, h.uid, h.gid).catch(() => {});
      if (h.type !== 'symlink') {
        await fs.chmod(target, mode);
        if (h.type !== 'directory') await fs.utimes(target, h.mtime, h.mtime);
      }
    } finally {
      entry.resume();
    }
  }
  for (const [dir, mtime] of dirTimes.reverse()) await fs.utimes(dir, mtime, mtime).catch(() => {});
}

