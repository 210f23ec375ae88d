// Bytes used by a directory tree, counted like Docker's directory.Size:
// every non-directory entry's size, hardlinked inodes once.
import { promises as fs } from 'node:fs';
import path from 'node:path';

export async function diskUsage(dir: string): Promise<number> {
  const seen = new Set<string>();
  let total = 0;
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        await walk(p);
        continue;
      }
      const st = await fs.lstat(p, { bigint: true }).catch(() => undefined);
      if (!st) continue;
      if (st.nlink > 1n) {
        const ino = `${st.dev}:${st.ino}`;
        if (seen.has(ino)) continue;
        seen.add(ino);
      }
      total += Number(st.size);
    }
  };
  await walk(dir);
  return total;
}
