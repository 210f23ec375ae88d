// berth cp: copies files and folders between a container and the local
// filesystem through the archive endpoints, with docker/cli's rules for
// trailing slashes, directories and "-" (a tar on stdin/stdout).
import { lstatSync, readlinkSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EngineClient } from '../../../client/client.js';
import { ApiError, send, type Endpoint } from '../../../client/transport.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';
import { extractLocal, packLocal } from './cp-local.js';

interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

const GO_DIR = 2 ** 31;
const GO_SYMLINK = 2 ** 27;
const isDirMode = (m: number) => m >= GO_DIR;
const isLinkMode = (m: number) => Math.floor(m / GO_SYMLINK) % 2 === 1;

/** docker/cli's splitCpArg: "container:path", or a local path (absolute or starting with "."). */
function splitCpArg(arg: string): { container: string; path: string } {
  if (path.isAbsolute(arg) || arg.startsWith('.')) return { container: '', path: arg };
  const i = arg.indexOf(':');
  if (i < 0) return { container: '', path: arg };
  return { container: arg.slice(0, i), path: arg.slice(i + 1) };
}

const hasTrailingSep = (p: string) => p.endsWith('/');
const endsWithDot = (p: string) => p === '.' || p.endsWith('/.');

async function statPath(ep: Endpoint, container: string, p: string): Promise<PathStat> {
  const res = await send(ep, `/containers/${encodeURIComponent(container)}/archive`, { method: 'HEAD', query: { path: p } });
  res.resume();
  return decodeStat(res.headers['x-docker-container-path-stat']);
}

function decodeStat(h: string | string[] | undefined): PathStat {
  const v = Array.isArray(h) ? h[0] : h;
  if (!v) throw new Error('unable to get resource stat from response');
  return JSON.parse(Buffer.from(v, 'base64').toString('utf8')) as PathStat;
}

export const cpCommand = defineCommand({
  name: 'cp',
  usage: 'cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
  short: 'Copy files/folders between a container and the local filesystem',
  args: { exact: 2 },
  flags: [
    { name: 'archive', short: 'a', type: 'bool', usage: 'Archive mode (copy all uid/gid information)' },
    { name: 'follow-link', short: 'L', type: 'bool', usage: 'Always follow symbol link in SRC_PATH' },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const src = splitCpArg(args[0]);
    const dst = splitCpArg(args[1]);
    if (src.container && dst.container) throw new Error('copying between containers is not supported');
    if (!src.container && !dst.container) throw new Error('must specify at least one container source');
    if ((src.container && !src.path) || (dst.container && !dst.path)) throw new Error('filesystem path cannot be empty');
    const client = await ctx.getClient<EngineClient>();
    try {
      if (src.container) await fromContainer(ctx, client.ep, src.container, src.path, dst.path, opts);
      else await toContainer(ctx, client.ep, dst.container, src.path, dst.path, opts);
    } catch (err) {
      throw new Error(describe(err));
    }
  },
});

async function fromContainer(ctx: CommandContext, ep: Endpoint, container: string, srcPath: string, dstPath: string, opts: FlagValues) {
  if (dstPath !== '-') {
    const dir = path.dirname(path.resolve(dstPath));
    try {
      statSync(dir);
    } catch {
      throw new Error(`invalid output path: directory "${path.dirname(path.normalize(dstPath))}" does not exist`);
    }
  }
  let p = srcPath;
  if (opts['follow-link']) {
    const st = await statPath(ep, container, p);
    if (isLinkMode(st.mode) && st.linkTarget) p = st.linkTarget;
  }
  const res = await send(ep, `/containers/${encodeURIComponent(container)}/archive`, { query: { path: p } });
  const stat = decodeStat(res.headers['x-docker-container-path-stat']);
  if (dstPath === '-') {
    await pipeline(res, ctx.io.stdout as NodeJS.WritableStream, { end: false });
    return;
  }
  const srcIsDir = isDirMode(stat.mode);
  // The archive's root entry: the source's base name, or "." for "dir/.".
  const rootName = endsWithDot(p) ? '.' : path.posix.basename(p.replace(/\/+$/, '')) || '.';
  let dst: Stats | undefined;
  try {
    dst = lstatSync(dstPath);
    if (dst.isSymbolicLink()) dst = statSync(dstPath);
  } catch {
    dst = undefined;
  }
  if (dst?.isDirectory()) {
    // Into the directory: "src" lands as dst/src, "src/." spills its contents.
    await extractLocal(res, dstPath);
    return;
  }
  if (dst) {
    res.resume();
    if (srcIsDir) throw new Error('cannot copy directory');
    if (hasTrailingSep(dstPath)) throw new Error(`destination "${dstPath}" is not a directory`);
    await extractLocal(res, path.dirname(dstPath), { from: rootName, to: path.basename(dstPath) });
    return;
  }
  if (!srcIsDir && hasTrailingSep(dstPath)) {
    res.resume();
    throw new Error('no such directory');
  }
  await extractLocal(res, path.dirname(path.resolve(dstPath)), { from: rootName, to: path.basename(path.resolve(dstPath)) });
}

async function toContainer(ctx: CommandContext, ep: Endpoint, container: string, srcPath: string, dstPath: string, opts: FlagValues) {
  // Where the destination is, if it exists (a symlink is followed unless the path ends in "/").
  let dstStat: PathStat | undefined;
  let dst = dstPath;
  try {
    dstStat = await statPath(ep, container, dst);
    if (isLinkMode(dstStat.mode) && !hasTrailingSep(dst)) {
      dst = dstStat.linkTarget;
      dstStat = await statPath(ep, container, dst);
    }
  } catch (err) {
    if (!(err instanceof ApiError && err.statusCode === 404)) throw err;
    dstStat = undefined;
  }
  const put = (dir: string, body: Readable) =>
    send(ep, `/containers/${encodeURIComponent(container)}/archive`, {
      method: 'PUT',
      query: { path: dir, noOverwriteDirNonDir: true, copyUIDGID: opts.archive ? true : undefined },
      stream: body,
      headers: { 'Content-Type': 'application/x-tar' },
    }).then((r) => r.resume());

  if (srcPath === '-') {
    if (!dstStat || !isDirMode(dstStat.mode)) throw new Error(`destination "${container}:${dstPath}" must be a directory`);
    await put(dst, ctx.io.stdin as Readable);
    return;
  }
  let src = srcPath;
  let st: Stats;
  try {
    st = lstatSync(src);
    if (opts['follow-link'] && st.isSymbolicLink()) {
      st = statSync(src);
      src = path.resolve(path.dirname(src), readlinkSync(src));
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`lstat ${srcPath}: no such file or directory`);
    throw err;
  }
  if (hasTrailingSep(srcPath) && !st.isDirectory()) throw new Error(`lstat ${srcPath}: not a directory`);
  const srcIsDir = st.isDirectory();
  const rootName = endsWithDot(srcPath) ? '.' : path.basename(path.resolve(src));

  if (dstStat && isDirMode(dstStat.mode)) {
    await put(dst, packLocal(src, rootName));
    return;
  }
  if (dstStat) {
    if (srcIsDir) throw new Error('cannot copy directory');
    if (hasTrailingSep(dstPath)) throw new Error(`destination "${container}:${dstPath}" is not a directory`);
    await put(path.posix.dirname(dst), packLocal(src, path.posix.basename(dst)));
    return;
  }
  if (!srcIsDir && hasTrailingSep(dstPath)) throw new Error('no such directory');
  const trimmed = dst.replace(/\/+$/, '') || '/';
  await put(path.posix.dirname(trimmed), packLocal(src, path.posix.basename(trimmed)));
}
