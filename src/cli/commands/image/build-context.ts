// The build context the CLI sends, as the docker CLI makes it: a directory walked in lexical order with
// .dockerignore applied (the Dockerfile and .dockerignore always sent), streamed as a tar (entries owned
// by 0:0, never buffered whole); a Dockerfile from outside the context or from stdin is added under a
// random name that .dockerignore then hides; or a tar (or a lone Dockerfile) read from stdin.
import { randomBytes } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import { walkContextDir } from '../../../api/context-walk.js';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import tar from 'tar-stream';
import { keepBuildFiles, PatternMatcher, readDockerignore } from '../../../api/dockerignore.js';
import { writeTar, type TarEntry } from './build-tar.js';

export interface BuildContextStream {
  stream: Readable;
  /** The Dockerfile's name inside the context, as the daemon is told (`dockerfile=`). */
  dockerfile: string;
}

/** The context directory, checked as the docker CLI checks it. */
export async function contextDir(dir: string): Promise<string> {
  const abs = path.resolve(dir);
  let st: Stats;
  try {
    st = await fs.stat(abs);
  } catch {
    throw new Error(`unable to prepare context: path "${dir}" not found`);
  }
  if (!st.isDirectory()) throw new Error(`unable to prepare context: context must be a directory: ${abs}`);
  return abs;
}

/**
 * A directory context. `dockerfileFlag` is -f as given ('' for the default, relative to the current
 * directory otherwise); `stdinDockerfile` the Dockerfile's text when -f is "-".
 */
export async function contextFromDir(dir: string, dockerfileFlag: string, stdinDockerfile?: string): Promise<BuildContextStream> {
  const root = await contextDir(dir);
  let extra: { name: string; data: Buffer } | undefined;
  let rel: string;
  if (stdinDockerfile !== undefined) {
    extra = { name: randomDockerfileName(), data: Buffer.from(stdinDockerfile) };
    rel = extra.name;
  } else {
    const abs = await locateDockerfile(root, dockerfileFlag);
    rel = relativeTo(root, abs);
    if (rel.startsWith('../') || path.isAbsolute(rel)) {
      // Outside the context: sent under a random name, as the docker CLI does.
      extra = { name: randomDockerfileName(), data: await fs.readFile(abs) };
      rel = extra.name;
    }
  }
  let ignoreText = await fs.readFile(path.join(root, '.dockerignore'), 'utf8').catch(() => undefined);
  const excludes = keepBuildFiles(ignoreText === undefined ? [] : readDockerignore(ignoreText), rel, extra !== undefined);
  if (extra) ignoreText = `${ignoreText ?? '.dockerignore'}\n${extra.name}\n`;
  const out = new PassThrough({ highWaterMark: 4 << 20 });
  void (async () => {
    const entries = await walkContext(root, new PatternMatcher(excludes), extra !== undefined);
    if (extra) {
      const now = new Date();
      entries.push({ name: '.dockerignore', type: 'file', mode: 0o600, mtime: now, size: Buffer.byteLength(ignoreText ?? ''), data: Buffer.from(ignoreText ?? '') });
      entries.push({ name: extra.name, type: 'file', mode: 0o600, mtime: now, size: extra.data.length, data: extra.data });
    }
    await writeTar(out, entries);
    out.end();
  })().catch((err) => out.destroy(err as Error));
  return { stream: out, dockerfile: rel };
}

/**
 * For a daemon that reads a context directory in place (berthd on this host): the directory and the
 * Dockerfile's path in it. Undefined when the Dockerfile is outside the context, which only a tar can carry.
 */
export async function localContextDir(dir: string, dockerfileFlag: string): Promise<{ root: string; dockerfile: string } | undefined> {
  const root = await contextDir(dir);
  const rel = relativeTo(root, await locateDockerfile(root, dockerfileFlag));
  return rel.startsWith('../') || path.isAbsolute(rel) ? undefined : { root, dockerfile: rel };
}

/** -f as given, or PATH/Dockerfile (PATH/dockerfile when only that exists). */
async function locateDockerfile(root: string, dockerfileFlag: string): Promise<string> {
  let abs = dockerfileFlag === '' ? path.join(root, 'Dockerfile') : path.resolve(dockerfileFlag);
  if (dockerfileFlag === '' && !(await exists(abs)) && (await exists(path.join(root, 'dockerfile')))) abs = path.join(root, 'dockerfile');
  if (!(await exists(abs))) throw new Error(`unable to prepare context: Cannot locate specified Dockerfile: ${dockerfileFlag || 'Dockerfile'}`);
  return abs;
}

const relativeTo = (root: string, abs: string) => path.relative(root, abs).split(path.sep).join('/');

const randomDockerfileName = () => `.dockerfile.${randomBytes(10).toString('hex')}`;

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

/** The context's entries as tar entries (a file's bytes read from its host path). */
async function walkContext(root: string, pm: PatternMatcher, skipDockerignore: boolean): Promise<TarEntry[]> {
  return (await walkContextDir(root, pm, skipDockerignore)).map(({ stat: _stat, path: host, ...e }) =>
    e.type === 'file' ? { ...e, path: host } : e,
  );
}

/**
 * `build -`: stdin is the context as a tar (possibly compressed, passed on as it is) or, when it is not
 * an archive, a Dockerfile, sent as the only file of a context.
 */
export async function contextFromStdin(stdin: Readable): Promise<BuildContextStream> {
  const it = stdin[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  let head = Buffer.alloc(0);
  let done = false;
  while (head.length < 512) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    head = Buffer.concat([head, Buffer.from(r.value)]);
  }
  async function* all(): AsyncGenerator<Buffer> {
    yield head;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield Buffer.from(r.value);
  }
  if (isArchive(head)) return { stream: Readable.from(all(), { objectMode: false }), dockerfile: '' };
  const chunks: Buffer[] = [];
  for await (const c of all()) chunks.push(c);
  const pack = tar.pack();
  pack.entry({ name: 'Dockerfile', mode: 0o600, uid: 0, gid: 0, mtime: new Date() }, Buffer.concat(chunks));
  pack.finalize();
  const out = new PassThrough();
  pack.pipe(out);
  return { stream: out, dockerfile: 'Dockerfile' };
}

function isArchive(h: Buffer): boolean {
  if (h.length >= 2 && h[0] === 0x1f && h[1] === 0x8b) return true;
  if (h.subarray(0, 3).toString('latin1') === 'BZh') return true;
  if (h.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return true;
  if (h.length < 512) return false;
  let sum = 8 * 0x20;
  for (let i = 0; i < 512; i++) if (i < 148 || i >= 156) sum += h[i];
  const field = h.subarray(148, 156).toString('latin1').replace(/[\0 ]+$/g, '').trim();
  return /^[0-7]+$/.test(field) && parseInt(field, 8) === sum;
}
