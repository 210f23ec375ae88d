// A SourceFs of small in-memory files: the bodies of `COPY <<EOF /dest` heredocs (BuildKit's syntax).
import { Readable } from 'node:stream';
import type { SourceEntry, SourceFs } from './source-fs.js';
import { tarsumHash } from './tarsum.js';

export class MemFs implements SourceFs {
  private readonly files = new Map<string, Buffer>();

  add(name: string, data: string): void {
    this.files.set(name, Buffer.from(data));
  }

  lstat(rel: string): SourceEntry | undefined {
    const base = { uid: 0, gid: 0, mtime: new Date(0), linkname: '', devmajor: 0, devminor: 0 };
    if (rel === '') return { ...base, type: 'dir', mode: 0o755, size: 0 };
    const data = this.files.get(rel);
    return data ? { ...base, type: 'file', mode: 0o644, size: data.length } : undefined;
  }

  readdir(rel: string): string[] {
    return rel === '' ? [...this.files.keys()].sort() : [];
  }

  read(rel: string): Readable {
    return Readable.from([this.files.get(rel) ?? Buffer.alloc(0)]);
  }

  async hash(rel: string): Promise<string> {
    const data = this.files.get(rel) ?? Buffer.alloc(0);
    const h = tarsumHash({
      name: rel, mode: 0o100644, uid: 0, gid: 0, size: data.length, typeflag: '0', linkname: '', uname: '', gname: '', devmajor: 0, devminor: 0,
    });
    return h.update(data).digest('hex');
  }
}
