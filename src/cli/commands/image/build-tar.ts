// Writes the build context tar without a stream per file: headers (ustar, PAX for long names) are made
// here, file contents are read ahead a few at a time while earlier ones are written, and the output is
// written in large pieces with backpressure. With tar-stream and a read stream per file, making a 670 MB
// context took about twice as long.
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import type { Writable } from 'node:stream';

export interface TarEntry {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'link';
  mode: number;
  mtime: Date;
  size: number;
  linkname?: string;
  /** A file's host path; or its bytes. */
  path?: string;
  data?: Buffer;
}

const BLOCK = 512;
const TYPEFLAG = { file: '0', link: '1', symlink: '2', directory: '5' } as const;
/** Bytes of file contents read ahead of the writer. */
const READ_AHEAD = 32 << 20;
const READERS = 4;

/** Writes the entries (owned by 0:0, as the docker CLI sends them) and the end-of-archive blocks. */
export async function writeTar(out: Writable, entries: TarEntry[]): Promise<void> {
  const contents = new Map<number, Promise<Buffer>>();
  let next = 0;
  let ahead = 0;
  const prefetch = () => {
    while (next < entries.length && contents.size < READERS * 4 && (ahead < READ_AHEAD || contents.size === 0)) {
      const e = entries[next];
      if (e.type === 'file' && e.path && e.size > 0) {
        ahead += e.size;
        contents.set(next, readExactly(e.path, e.size));
      }
      next++;
    }
  };
  const write = async (buf: Buffer) => {
    if (!out.write(buf)) await once(out, 'drain');
  };
  for (let i = 0; i < entries.length; i++) {
    prefetch();
    const e = entries[i];
    const header = encodeHeader(e);
    let body = e.data;
    if (!body && contents.has(i)) {
      body = await contents.get(i)!;
      contents.delete(i);
      ahead -= e.size;
    }
    await write(header);
    if (body && body.length > 0) {
      await write(body);
      const pad = (BLOCK - (body.length % BLOCK)) % BLOCK;
      if (pad > 0) await write(Buffer.alloc(pad));
    }
  }
  await write(Buffer.alloc(2 * BLOCK));
}

/** A file's bytes; a file that changed size while we send it is an error (the header already said). */
async function readExactly(file: string, size: number): Promise<Buffer> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const { bytesRead } = await fh.read(buf, off, size - off, off);
      if (bytesRead === 0) throw new Error(`${file}: file changed size while it was being sent`);
      off += bytesRead;
    }
    return buf;
  } finally {
    await fh.close();
  }
}

/** The header block(s) of an entry: a PAX record first when a name or link does not fit ustar. */
export function encodeHeader(e: TarEntry): Buffer {
  const name = e.type === 'directory' && !e.name.endsWith('/') ? `${e.name}/` : e.name;
  const split = splitName(name);
  const linkname = e.linkname ?? '';
  const pax: Record<string, string> = {};
  if (!split) pax.path = name;
  if (Buffer.byteLength(linkname) > 100) pax.linkpath = linkname;
  const size = e.type === 'file' ? e.size : 0;
  if (size > 0o77777777777) pax.size = String(size);
  const blocks: Buffer[] = [];
  if (Object.keys(pax).length > 0) {
    const body = Buffer.from(Object.entries(pax).map(([k, v]) => paxRecord(k, v)).join(''));
    blocks.push(ustar({ name: 'PaxHeaders/' + name.slice(0, 80), typeflag: 'x', size: body.length, mode: 0o644, mtime: e.mtime, linkname: '', prefix: '' }));
    blocks.push(body, Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK));
  }
  blocks.push(
    ustar({
      name: split?.name ?? name.slice(0, 100),
      prefix: split?.prefix ?? '',
      typeflag: TYPEFLAG[e.type],
      size: pax.size ? 0 : size,
      mode: e.mode,
      mtime: e.mtime,
      linkname: pax.linkpath ? linkname.slice(0, 100) : linkname,
    }),
  );
  return Buffer.concat(blocks);
}

function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(rest) + 1;
  while (String(len).length + Buffer.byteLength(rest) !== len) len++;
  return `${len}${rest}`;
}

/** ustar's name/prefix split of a long name, or undefined when it cannot be split. */
function splitName(name: string): { name: string; prefix: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { name, prefix: '' };
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest !== '') return { name: rest, prefix };
  }
  return undefined;
}

interface UstarFields {
  name: string;
  prefix: string;
  typeflag: string;
  size: number;
  mode: number;
  mtime: Date;
  linkname: string;
}

function ustar(f: UstarFields): Buffer {
  const b = Buffer.alloc(BLOCK);
  b.write(f.name, 0, 100, 'utf8');
  octal(b, 100, 8, f.mode & 0o7777);
  octal(b, 108, 8, 0);
  octal(b, 116, 8, 0);
  octal(b, 124, 12, f.size);
  octal(b, 136, 12, Math.max(0, Math.floor(f.mtime.getTime() / 1000)));
  b.fill(0x20, 148, 156);
  b.write(f.typeflag, 156, 1, 'latin1');
  b.write(f.linkname, 157, 100, 'utf8');
  b.write('ustar\u000000', 257, 8, 'latin1');
  b.write(f.prefix, 345, 155, 'utf8');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += b[i];
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return b;
}

function octal(b: Buffer, off: number, len: number, v: number): void {
  b.write(`${v.toString(8).padStart(len - 1, '0')}\0`, off, len, 'latin1');
}
