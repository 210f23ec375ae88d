// A push parser for tar streams (ustar, GNU long names, PAX), synchronous per chunk: the context receiver
// feeds it socket chunks as they come and gets headers and data slices back without a stream per entry
// (with Node streams, per-chunk overhead made receiving a large context three times slower).

export interface TarHeader {
  /** As Go's archive/tar reports it: PAX path or GNU long name or prefix + "/" + name. */
  name: string;
  /** The mode field as written (type bits included when the writer put them there). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: Date;
  /** '0' file ('\0' normalised as Go does), '1' hard link, '2' symlink, '3' char, '4' block, '5' dir, '6' fifo, '7' contiguous. */
  typeflag: string;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
  /** SCHILY.xattr.* PAX records, without the prefix. */
  xattrs?: Record<string, string>;
}

export interface TarSink {
  header(h: TarHeader): void;
  data(chunk: Buffer): void;
  end(): void;
}

export class TarFormatError extends Error {}

type State = 'header' | 'data' | 'padding' | 'meta' | 'done';

export class TarReader {
  private state: State = 'header';
  private block = Buffer.alloc(512);
  private blockFill = 0;
  private remaining = 0;
  private padding = 0;
  private meta?: { kind: string; parts: Buffer[] };
  private pax: Record<string, string> = {};
  private longName?: string;
  private longLink?: string;
  private zeroBlocks = 0;

  constructor(private readonly sink: TarSink) {}

  get finished(): boolean {
    return this.state === 'done';
  }

  push(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length && this.state !== 'done') {
      if (this.state === 'data' || this.state === 'meta') {
        const n = Math.min(this.remaining, chunk.length - off);
        const slice = chunk.subarray(off, off + n);
        if (this.state === 'data') this.sink.data(slice);
        else this.meta!.parts.push(Buffer.from(slice));
        off += n;
        this.remaining -= n;
        if (this.remaining === 0) this.endPayload();
        continue;
      }
      if (this.state === 'padding') {
        const n = Math.min(this.padding, chunk.length - off);
        off += n;
        this.padding -= n;
        if (this.padding === 0) this.state = 'header';
        continue;
      }
      // A header block, possibly split across chunks.
      const n = Math.min(512 - this.blockFill, chunk.length - off);
      chunk.copy(this.block, this.blockFill, off, off + n);
      this.blockFill += n;
      off += n;
      if (this.blockFill === 512) {
        this.blockFill = 0;
        this.onBlock(this.block);
      }
    }
  }

  /** Call at the end of input: a stream cut short is an error. */
  close(): void {
    if (this.state === 'header' && this.blockFill === 0) return; // EOF at a block boundary: tolerated as Go does
    if (this.state !== 'done') throw new TarFormatError('unexpected EOF');
  }

  private onBlock(b: Buffer): void {
    if (b.every((x) => x === 0)) {
      if (++this.zeroBlocks === 2) this.state = 'done';
      return;
    }
    this.zeroBlocks = 0;
    if (checksum(b) !== octal(b, 148, 8)) throw new TarFormatError('archive/tar: invalid tar header');
    const flag = b[156] === 0 ? '0' : String.fromCharCode(b[156]);
    const size = octal(b, 124, 12);
    if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
      this.meta = { kind: flag, parts: [] };
      this.startPayload(size, 'meta');
      return;
    }
    let name = cstr(b, 0, 100);
    const magic = b.subarray(257, 263).toString('latin1');
    if (magic === 'ustar\0' && b[345] !== 0) name = `${cstr(b, 345, 155)}/${name}`;
    const pax = this.pax;
    this.pax = {};
    const h: TarHeader = {
      name: pax.path ?? this.longName ?? name,
      mode: octal(b, 100, 8),
      uid: pax.uid !== undefined ? Number(pax.uid) : octal(b, 108, 8),
      gid: pax.gid !== undefined ? Number(pax.gid) : octal(b, 116, 8),
      size: pax.size !== undefined ? Number(pax.size) : size,
      mtime: new Date(1000 * (pax.mtime !== undefined ? Number(pax.mtime) : octal(b, 136, 12))),
      typeflag: flag === '0' && name.endsWith('/') && b[156] === 0 ? '5' : flag,
      linkname: pax.linkpath ?? this.longLink ?? cstr(b, 157, 100),
      uname: pax.uname ?? cstr(b, 265, 32),
      gname: pax.gname ?? cstr(b, 297, 32),
      devmajor: octal(b, 329, 8),
      devminor: octal(b, 337, 8),
    };
    for (const [k, v] of Object.entries(pax)) if (k.startsWith('SCHILY.xattr.')) (h.xattrs ??= {})[k.slice(13)] = v;
    this.longName = undefined;
    this.longLink = undefined;
    this.sink.header(h);
    // Only regular files carry data (a hard link's size is its target's, with no bytes here).
    const payload = flag === '0' || flag === '7' ? h.size : 0;
    this.startPayload(payload, 'data');
  }

  private startPayload(size: number, state: 'data' | 'meta'): void {
    this.remaining = size;
    this.padding = (512 - (size % 512)) % 512;
    this.state = state;
    if (size === 0) this.endPayload();
  }

  private endPayload(): void {
    if (this.state === 'meta') {
      const body = Buffer.concat(this.meta!.parts);
      const kind = this.meta!.kind;
      this.meta = undefined;
      if (kind === 'x') this.pax = parsePax(body);
      else if (kind === 'L') this.longName = cstr(body, 0, body.length);
      else if (kind === 'K') this.longLink = cstr(body, 0, body.length);
    } else {
      this.sink.end();
    }
    this.state = this.padding > 0 ? 'padding' : 'header';
  }
}

function cstr(b: Buffer, off: number, len: number): string {
  const end = b.indexOf(0, off);
  return b.toString('utf8', off, end < 0 || end > off + len ? off + len : end);
}

/** An octal field (or GNU base-256 for large values). */
function octal(b: Buffer, off: number, len: number): number {
  if (b[off] & 0x80) {
    let v = b[off] & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + b[off + i];
    return v;
  }
  const s = b.toString('latin1', off, off + len).replace(/\0.*$/s, '').trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function checksum(b: Buffer): number {
  let sum = 8 * 0x20;
  for (let i = 0; i < 512; i++) if (i < 148 || i >= 156) sum += b[i];
  return sum;
}

/** PAX records: "<len> <key>=<value>\n" … */
function parsePax(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let off = 0;
  while (off < body.length) {
    const sp = body.indexOf(0x20, off);
    if (sp < 0) break;
    const len = Number(body.toString('latin1', off, sp));
    if (!Number.isInteger(len) || len <= 0) throw new TarFormatError('archive/tar: invalid tar header');
    const rec = body.toString('utf8', sp + 1, off + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    off += len;
  }
  return out;
}
