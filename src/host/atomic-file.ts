// State files are replaced atomically: write a temp file, fsync, rename.
//
// `durable: false` skips the fsync. The rename is still atomic against a crash of berthd (kill -9): the data
// is in the page cache either way. What the fsync adds is survival of a power loss or kernel crash, which
// matters for records a user created (a container, an image) but not for runtime state (running, exited,
// paused) or removals: after such a crash every container is dead and restore derives that state anew.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface WriteOptions {
  /** fsync before the rename (default true). */
  durable?: boolean;
}

export async function writeFileAtomic(
  file: string,
  data: string | Buffer,
  mode = 0o644,
  { durable = true }: WriteOptions = {},
): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await fs.open(tmp, 'w', mode);
  try {
    await fh.writeFile(data);
    if (durable) await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

export async function writeJsonAtomic(file: string, value: unknown, mode = 0o644, opts?: WriteOptions): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value), mode, opts);
}

export async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
