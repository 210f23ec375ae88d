// Writes a directory tree (or one file) from the host into a tar-stream pack:
// the body of export, GET archive, and commit (where overlay whiteouts and
// opaque directories become `.wh.` entries).
import { createReadStream, lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import tar, { type Header, type Pack } from 'tar-stream';

type Headers = Partial<Header> & Pick<Header, 'name'>;
import { native } from '../host/native.js';

export interface TreePackOptions {
  /** Upper-dir mode: 0/0 char devices become `.wh.<name>`, opaque dirs get `.wh..wh..opq`. */
  whiteouts?: boolean;
  /** Entry names (without trailing slash, relative) to leave out with everything below. */
  skip?: (name: string) => boolean;
  /** Overrides owner of every entry. */
  owner?: { uid: number; gid: number };
}

interface State {
  links: Map<string, string>;
}

/** Adds `hostPath` as entry `name` ("" = only its children, for a whole root), recursively. */
export async function packTree(pack: Pack, hostPath: string, name: string, opts: TreePackOptions = {}): Promise<void> {
  const state: State = { links: new Map() };
  const st = lstatSync(hostPath);
  if (name === '') {
    await packChildren(pack, hostPath, '', opts, state);
    return;
  }
  await packOne(pack, hostPath, name, st, opts, state);
}

async function packChildren(pack: Pack, dir: string, prefix: string, opts: TreePackOptions, state: State): Promise<void> {
  for (const child of readdirSync(dir).sort()) {
    const name = prefix === '' ? child : `${prefix}/${child}`;
    if (opts.skip?.(name)) continue;
    const host = path.join(dir, child);
    let st: Stats;
    try {
      st = lstatSync(host);
    } catch {
      continue; // removed while we walk
    }
    await packOne(pack, host, name, st, opts, state);
  }
}

async function packOne(pack: Pack, host: string, name: string, st: Stats, opts: TreePackOptions, state: State): Promise<void> {
  const base: Headers = {
    name,
    mode: st.mode & 0o7777,
    uid: opts.owner?.uid ?? st.uid,
    gid: opts.owner?.gid ?? st.gid,
    mtime: st.mtime,
  };
  if (opts.whiteouts && st.isCharacterDevice() && st.rdev === 0) {
    const dir = path.posix.dirname(name);
    const wh = `${dir === '.' ? '' : `${dir}/`}.wh.${path.posix.basename(name)}`;
    await add(pack, { ...base, name: wh, type: 'file', size: 0, mode: 0o644 });
    return;
  }
  if (st.isDirectory()) {
    await add(pack, { ...base, name: name === '.' ? './' : `${name}/`, type: 'directory' });
    if (opts.whiteouts && isOpaque(host)) {
      await add(pack, { ...base, name: `${name}/.wh..wh..opq`, type: 'file', size: 0, mode: 0o644 });
    }
    await packChildren(pack, host, name === '.' ? '.' : name, opts, state);
    return;
  }
  if (st.isSymbolicLink()) {
    await add(pack, { ...base, type: 'symlink', linkname: readlinkSync(host) });
    return;
  }
  if (st.isFile()) {
    if (st.nlink > 1) {
      const key = `${st.dev}:${st.ino}`;
      const first = state.links.get(key);
      if (first !== undefined) {
        await add(pack, { ...base, type: 'link', linkname: first, size: 0 });
        return;
      }
      state.links.set(key, name);
    }
    await new Promise<void>((resolve, reject) => {
      const entry = pack.entry({ ...base, type: 'file', size: st.size }, (err) => (err ? reject(err) : resolve()));
      const src = createReadStream(host);
      src.on('error', (err) => {
        entry.destroy(err);
        reject(err);
      });
      src.pipe(entry);
    });
    return;
  }
  const dev = { devmajor: Number(BigInt(st.rdev) >> 8n) & 0xfff, devminor: (st.rdev & 0xff) | ((st.rdev >> 12) & 0xfff00) };
  if (st.isCharacterDevice()) await add(pack, { ...base, type: 'character-device', ...dev });
  else if (st.isBlockDevice()) await add(pack, { ...base, type: 'block-device', ...dev });
  else if (st.isFIFO()) await add(pack, { ...base, type: 'fifo' });
  // sockets are left out, as Docker does
}

function add(pack: Pack, header: Headers): Promise<void> {
  return new Promise((resolve, reject) => {
    const cb = (err?: Error | null) => (err ? reject(err) : resolve());
    // A file entry without a body would wait for one: give it its (empty) buffer.
    if (header.type === 'file') pack.entry(header, Buffer.alloc(0), cb);
    else pack.entry(header, cb);
  });
}

function isOpaque(hostPath: string): boolean {
  try {
    return native().lgetxattr(hostPath, 'trusted.overlay.opaque') === 'y';
  } catch {
    return false;
  }
}

/** Packs `hostPath` as `name` into a tar streamed to `out`; resolves once `out` has it all. */
export async function streamTree(out: Writable, hostPath: string, name: string): Promise<void> {
  const pack = tar.pack();
  const done = new Promise<void>((resolve, reject) => {
    pack.on('error', reject);
    out.on('error', reject);
    out.on('finish', resolve);
    out.on('close', resolve);
  });
  pack.pipe(out);
  try {
    await packTree(pack, hostPath, name);
    pack.finalize();
  } catch (err) {
    pack.destroy(err as Error);
    throw err;
  }
  await done;
}
