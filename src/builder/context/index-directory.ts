// A context directory on the daemon's host, indexed in place instead of received as a tar (berth's CLI asks
// for this when its daemon is local: `contextdir=`). The index holds exactly the entries, metadata and
// hashes a tar from the same CLI would have given (the same walk, .dockerignore applied the same way), so
// the two share the build cache; files are read where they are, and hashed only when a COPY or ADD asks,
// through the hash cache that makes an unchanged file cost one lstat.
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { walkContextDir, type ContextWalkEntry } from '../../api/context-walk.js';
import { keepBuildFiles, PatternMatcher, readDockerignore } from '../../api/dockerignore.js';
import { BuildContext, type ContextEntry } from './build-context.js';
import type { ContextHashCache } from './hash-cache.js';
import { tarsumHash } from './tarsum.js';

const TYPEFLAG: Record<ContextWalkEntry['type'], string> = { file: '0', link: '1', symlink: '2', directory: '5' };

/**
 * Indexes `root` (absolute) for a build whose Dockerfile is `dockerfile` (relative to it); `dir` is the
 * build's own directory.
 */
export async function indexDirectory(root: string, dockerfile: string, dir: string, cache: ContextHashCache): Promise<BuildContext> {
  const ignoreText = await fs.readFile(path.join(root, '.dockerignore'), 'utf8').catch(() => undefined);
  const excludes = keepBuildFiles(ignoreText === undefined ? [] : readDockerignore(ignoreText), dockerfile);
  const walked = await walkContextDir(root, new PatternMatcher(excludes));
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const byName = new Map(walked.map((w) => [w.name, w]));
  const ctx = new BuildContext(dir, '', (rel) => hashOf(byName.get(rel)!, cache));
  for (const w of walked) ctx.put(w.name, entryOf(w, ctx));
  return ctx;
}

function entryOf(w: ContextWalkEntry, ctx: BuildContext): ContextEntry {
  const base = { mode: w.mode, uid: 0, gid: 0, mtime: w.mtime, devmajor: 0, devminor: 0, hash: '', blob: '', host: w.path };
  switch (w.type) {
    case 'directory':
      return { ...base, type: 'dir', size: 0, linkname: '' };
    case 'symlink':
      return { ...base, type: 'symlink', size: 0, linkname: w.linkname ?? '' };
    case 'file':
      return { ...base, type: 'file', size: w.size, linkname: '' };
    case 'link': {
      // A hard link is the file it names, as the tar receiver makes it (walked earlier, so indexed).
      const target = ctx.lstat(w.linkname ?? '')!;
      return { ...base, type: 'file', size: target.size, mode: target.mode, linkname: '' };
    }
  }
}

/** The tarsum the tar receiver computes for the same entry (header as the CLI writes it, then the bytes). */
async function hashOf(w: ContextWalkEntry, cache: ContextHashCache): Promise<string> {
  const regular = w.type === 'file';
  if (regular) {
    const known = cache.lookup(w.name, w.stat);
    if (known) return known;
  }
  const h = tarsumHash({
    name: w.type === 'directory' ? `${w.name}/` : w.name,
    mode: w.mode,
    uid: 0,
    gid: 0,
    size: regular ? w.size : 0,
    typeflag: TYPEFLAG[w.type],
    linkname: w.linkname ?? '',
    uname: '',
    gname: '',
    devmajor: 0,
    devminor: 0,
  });
  if (!regular) return h.digest('hex');
  const started = Date.now();
  if (w.size > 0) for await (const chunk of createReadStream(w.path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  const sum = h.digest('hex');
  cache.record(w.name, w.stat, sum, started);
  return sum;
}
