// A streaming blob write: hashes as it writes into an ingest temp file, and
// only becomes visible when commit() has verified, fsynced and renamed it.
import { promises as fs } from 'node:fs';
import type { BlobInfo, ContentWriter } from '../../core/content.js';
import type { Digest } from '../../oci/digest.js';
import { invalidArgument } from '../../errdefs/errors.js';
import { PooledSha256 } from '../../host/pooled-sha256.js';

export class LocalContentWriter implements ContentWriter {
  private hash = new PooledSha256();
  private size = 0;
  private done = false;

  constructor(
    private readonly fh: fs.FileHandle,
    private readonly tempPath: string,
    /** Maps a digest to its final path. */
    private readonly target: (digest: Digest) => string,
    private readonly blobsDir: string,
  ) {}

  async write(chunk: Buffer): Promise<void> {
    if (this.done) throw invalidArgument('content writer is closed');
    this.size += chunk.length;
    // Hashed on the thread pool while it is written.
    this.hash.update(chunk);
    const hashed = this.hash.hashed();
    try {
      let off = 0;
      while (off < chunk.length) {
        const { bytesWritten } = await this.fh.write(chunk, off, chunk.length - off);
        off += bytesWritten;
      }
    } finally {
      await hashed;
    }
  }

  async commit(expected?: Digest): Promise<BlobInfo> {
    if (this.done) throw invalidArgument('content writer is closed');
    this.done = true;
    const digest: Digest = `sha256:${await this.hash.digest()}`;
    try {
      if (expected !== undefined && expected !== digest) {
        throw invalidArgument(`digest mismatch: expected ${expected}, got ${digest}`);
      }
      await this.fh.sync();
      await this.fh.close();
      const dest = this.target(digest);
      // An existing blob with this digest has the same bytes: keep it.
      if (await exists(dest)) {
        await fs.rm(this.tempPath, { force: true });
      } else {
        await fs.rename(this.tempPath, dest);
        await syncDir(this.blobsDir);
      }
      return { digest, size: this.size };
    } catch (err) {
      await this.fh.close().catch(() => {});
      await fs.rm(this.tempPath, { force: true });
      throw err;
    }
  }

  async abort(): Promise<void> {
    this.done = true;
    await this.fh.close().catch(() => {});
    await fs.rm(this.tempPath, { force: true });
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.stat(p);
    return true;
  } catch {
    return false;
  }
}

/** Makes a rename durable: the directory entry itself must reach the disk. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
