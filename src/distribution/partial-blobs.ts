// Partial blobs of interrupted pulls: kept so the next pull resumes them with Range; `image prune`
// removes the ones no download is filling.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Distribution } from './distribution.js';

/** Deletes idle partial blobs; returns the bytes freed. */
export async function prunePartialBlobs(dist: Distribution): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(dist.paths.ingest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let freed = 0;
  for (const name of names) {
    const file = path.join(dist.paths.ingest, name);
    if (dist.downloads.has(file)) continue;
    const st = await fs.lstat(file).catch(() => undefined);
    if (!st?.isFile()) continue;
    await fs.rm(file, { force: true });
    freed += st.size;
  }
  return freed;
}
