// Content-addressable blob store on the local filesystem.
import { promises as fs, createReadStream } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { BlobInfo, ContentStore, ContentWriter } from '../../core/content.js';
import { isDigest, sha256, type Digest } from '../../oci/digest.js';
import { invalidArgument, notFound } from '../../errdefs/errors.js';
import { contentPaths, type ContentPaths } from './paths.js';
import { LocalContentWriter } from './content-writer.js';

export class LocalContentStore implements ContentStore {
  readonly paths: ContentPaths;
  private ready?: Promise<void>;

  /** `root` is the store's own directory, `<dataRoot>/content`. */
  constructor(root: string) {
    this.paths = contentPaths(root);
  }

  /** Creates the directories and drops partial writes left by a crash (once per process). */
  private init(): Promise<void> {
    this.ready ??= (async () => {
      await fs.rm(this.paths.ingest, { recursive: true, force: true });
      await fs.mkdir(this.paths.ingest, { recursive: true });
      await fs.mkdir(this.paths.blobs, { recursive: true });
    })();
    return this.ready;
  }

  private file(digest: Digest): string {
    // Also keeps arbitrary strings from turning into paths.
    if (!isDigest(digest)) throw invalidArgument(`invalid digest: ${digest}`);
    return this.paths.blob(digest);
  }

  async has(digest: Digest): Promise<boolean> {
    try {
      await fs.stat(this.file(digest));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  async info(digest: Digest): Promise<BlobInfo> {
    try {
      const st = await fs.stat(this.file(digest));
      return { digest, size: st.size };
    } catch (err) {
      throw mapMissing(err, digest);
    }
  }

  async read(digest: Digest): Promise<Buffer> {
    try {
      return await fs.readFile(this.file(digest));
    } catch (err) {
      throw mapMissing(err, digest);
    }
  }

  createReadStream(digest: Digest): Readable {
    const out = new PassThrough();
    let src: Readable;
    try {
      src = createReadStream(this.file(digest), { highWaterMark: 1 << 20 });
    } catch (err) {
      process.nextTick(() => out.destroy(err as Error));
      return out;
    }
    src.on('error', (err) => out.destroy(mapMissing(err, digest) as Error));
    out.on('close', () => src.destroy());
    return src.pipe(out);
  }

  async put(data: Buffer, expected?: Digest): Promise<BlobInfo> {
    const digest = sha256(data);
    if (expected !== undefined && expected !== digest) {
      throw invalidArgument(`digest mismatch: expected ${expected}, got ${digest}`);
    }
    if (await this.has(digest)) return { digest, size: data.length };
    const w = await this.writer();
    try {
      await w.write(data);
    } catch (err) {
      await w.abort();
      throw err;
    }
    return w.commit(digest);
  }

  async writer(): Promise<ContentWriter> {
    await this.init();
    const temp = path.join(this.paths.ingest, randomBytes(8).toString('hex'));
    const fh = await fs.open(temp, 'wx', 0o644);
    return new LocalContentWriter(fh, temp, (d) => this.paths.blob(d), this.paths.blobs);
  }

  async delete(digest: Digest): Promise<void> {
    try {
      await fs.unlink(this.file(digest));
    } catch (err) {
      throw mapMissing(err, digest);
    }
  }

  async list(): Promise<BlobInfo[]> {
    await this.init();
    const out: BlobInfo[] = [];
    for (const name of await fs.readdir(this.paths.blobs)) {
      const digest = `sha256:${name}`;
      if (!isDigest(digest)) continue;
      try {
        out.push({ digest, size: (await fs.stat(path.join(this.paths.blobs, name))).size });
      } catch {
        // deleted while listing
      }
    }
    return out;
  }
}

function mapMissing(err: unknown, digest: string): unknown {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return notFound(`content digest ${digest}: not found`);
  return err;
}
