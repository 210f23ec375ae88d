// COPY and ADD without a container: the sources are hashed (the cache key), then the files are written
// straight into a layer tar on top of the parent image. Docker's rules (moby copy.go, internals.go):
// a directory's contents go into the destination; a file goes into it when the destination ends in "/"
// or is a directory, else becomes it; several sources need a destination ending in "/".
import type { AddCommand, CopyCommand, SourceContent } from '../dockerfile/instructions/commands.js';
import { DirFs } from '../context/dir-fs.js';
import { MemFs } from '../context/mem-fs.js';
import { baseName, cleanRel, dirName, joinRel, resolveScoped, walk, type SourceFs } from '../context/source-fs.js';
import { archiveKind, download, isUrl } from './add-sources.js';
import type { BuildImage } from './backend.js';
import { parseChown } from './chown.js';
import { copyInfosFor, CopySourceError, sourcesHash, type CopyInfo } from './copy-sources.js';
import { imageRunConfig, probeCache, type DispatchRequest } from './dispatch-request.js';
import { LayerPlan, type Owner } from './layer-plan.js';
import { copyRunConfig, dockerConfigShape, withCmdCommentString } from './run-config.js';

interface CopyInstruction {
  cmdName: 'COPY' | 'ADD';
  infos: CopyInfo[];
  dest: string;
  chown: string;
  chmod: string;
  /** COPY --from without --chown keeps the files' owners. */
  preserveOwnership: boolean;
}

export async function dispatchCopy(req: DispatchRequest, c: CopyCommand): Promise<void> {
  if (c.from === '') {
    const infos = await collectInfos('COPY', c.sources, c.sourceContents, c.dest, async (src) => copyInfosFor(req.context, src, { isContext: true, decompress: false }));
    await performCopy(req, { cmdName: 'COPY', infos, dest: c.dest, chown: c.chown, chmod: c.chmod, preserveOwnership: false });
    return;
  }
  const from = await fromImage(req, c.from);
  await req.backend.withImageRoot(from, async (root) => {
    const fs = new DirFs(root);
    const infos = await collectInfos('COPY', c.sources, c.sourceContents, c.dest, async (src) => copyInfosFor(fs, src, { isContext: false, decompress: false }));
    await performCopy(req, { cmdName: 'COPY', infos, dest: c.dest, chown: c.chown, chmod: c.chmod, preserveOwnership: c.chown === '' });
  });
}

export async function dispatchAdd(req: DispatchRequest, c: AddCommand): Promise<void> {
  const infos = await collectInfos('ADD', c.sources, c.sourceContents, c.dest, async (src) => {
    if (!isUrl(src)) return copyInfosFor(req.context, src, { isContext: true, decompress: true });
    const got = await download(src, req.context.dir);
    if (got.name === '' && c.dest.endsWith('/')) throw new CopySourceError(`cannot determine filename for source ${src}`);
    req.out.stdout('\n');
    const fs = new DirFs(got.dir);
    const name = got.name === '' ? '__unnamed__' : got.name;
    return [{ fs, path: name, hash: await fs.hash(name), decompress: false }];
  });
  await performCopy(req, { cmdName: 'ADD', infos, dest: c.dest, chown: c.chown, chmod: c.chmod, preserveOwnership: false });
}

/** All sources' infos, with Docker's "<CMD> failed: …" wrapping and its multi-source rule. */
async function collectInfos(
  cmdName: string,
  sources: string[],
  contents: SourceContent[],
  dest: string,
  infosOf: (src: string) => Promise<CopyInfo[]>,
): Promise<CopyInfo[]> {
  const infos: CopyInfo[] = [];
  try {
    for (const src of sources) infos.push(...(await infosOf(src)));
    if (contents.length > 0) {
      const mem = new MemFs();
      for (const doc of contents) mem.add(doc.path, doc.data);
      for (const doc of contents) infos.push({ fs: mem, path: doc.path, hash: `file:${await mem.hash(doc.path)}`, decompress: false });
    }
    if (infos.length === 0) throw new CopySourceError('no source files were specified');
  } catch (err) {
    throw new Error(`${cmdName} failed: ${(err as Error).message}`);
  }
  if (infos.length > 1 && !dest.endsWith('/')) {
    throw new Error(`When using ${cmdName} with more than one source file, the destination must be a directory and end with a /`);
  }
  return infos;
}

/** COPY --from=<stage name|index|image>. */
async function fromImage(req: DispatchRequest, ref: string): Promise<BuildImage> {
  try {
    const stage = stageByNameOrIndex(req, ref);
    return stage ?? (await req.backend.getImage(ref));
  } catch (err) {
    throw new Error(`invalid from flag value ${ref}: ${(err as Error).message}`);
  }
}

/** moby stagesBuildResults.get: an earlier stage by name (any case) or number, else undefined (an image). */
function stageByNameOrIndex(req: DispatchRequest, ref: string): BuildImage | undefined {
  const named = req.stages.find((s) => s.name !== '' && s.name === ref.toLowerCase());
  if (named) return named.image;
  if (!/^[+-]?\d+$/.test(ref)) return undefined;
  const ix = Number(ref);
  if (ix === req.stages.length) throw new Error('refers to current build stage');
  if (ix < 0 || ix > req.stages.length) throw new Error('index out of bounds');
  return req.stages[ix].image;
}

async function performCopy(req: DispatchRequest, inst: CopyInstruction): Promise<void> {
  const s = req.state;
  const chown = inst.chown ? `--chown=${inst.chown}` : '';
  const chmod = inst.chmod ? `--chmod=${inst.chmod} ` : '';
  const comment = `${inst.cmdName} ${chown}${chmod}${sourcesHash(inst.infos)} in ${inst.dest} `;
  const stepConfig = withCmdCommentString(copyRunConfig(s.runConfig, { Image: s.imageId }), comment);
  if (await probeCache(req, stepConfig)) return;
  const mode = inst.chmod ? parseChmod(inst.chmod) : undefined;
  await req.backend.withImageRoot(s.image, async (root) => {
    const image = new DirFs(root);
    const owner = inst.chown ? parseChown(inst.chown, image, root) : inst.preserveOwnership ? undefined : { uid: 0, gid: 0 };
    const dest = normalizeDest(s.runConfig.WorkingDir ?? '', inst.dest);
    const plan = new LayerPlan(image);
    for (const info of inst.infos) await copyOne(plan, image, dest, info, owner, mode);
    s.image = await req.backend.createImage(s.image, plan.toTar(), {
      config: imageRunConfig(s),
      containerConfig: dockerConfigShape(stepConfig),
      author: s.maintainer || undefined,
    });
  });
}

/** A relative destination is relative to WORKDIR; a trailing "/" is kept (it means "into"). */
export function normalizeDest(workingDir: string, requested: string): string {
  if (requested.startsWith('/')) return requested;
  const joined = `/${cleanRel(`${workingDir}/${requested}`)}`;
  return requested.endsWith('/') && joined !== '/' ? `${joined}/` : joined;
}

/** moby performCopyForInfo, planning tar entries instead of writing into a container's layer. */
async function copyOne(plan: LayerPlan, image: SourceFs, dest: string, info: CopyInfo, owner: Owner | undefined, chmod: number | undefined): Promise<void> {
  const srcRel = resolveScoped(info.fs, cleanRel(info.path));
  const src = info.fs.lstat(srcRel);
  if (!src) throw new Error(`source path not found: ${info.path}`);
  const destRel = resolveScoped(image, dest);
  const root: Owner = { uid: 0, gid: 0 };
  if (src.type === 'dir') {
    plan.mkdirAll(destRel, owner ?? root);
    for (const rel of walk(info.fs, srcRel)) {
      if (rel === srcRel) continue;
      const e = info.fs.lstat(rel)!;
      const target = joinRel(destRel, srcRel === '' ? rel : rel.slice(srcRel.length + 1));
      plan.addEntry(target, info.fs, rel, e, owner ?? { uid: e.uid, gid: e.gid }, chmod);
    }
    return;
  }
  if (info.decompress && src.type === 'file') {
    const compression = await archiveKind(info.fs, srcRel);
    if (compression) {
      plan.addArchive(destRel, info.fs, srcRel, compression);
      return;
    }
  }
  let target = destRel;
  if (dest.endsWith('/') || plan.isDir(destRel)) target = joinRel(destRel, baseName(cleanRel(info.path)));
  plan.mkdirAll(dirName(target), owner ?? root);
  plan.addEntry(target, info.fs, srcRel, src, owner ?? { uid: src.uid, gid: src.gid }, chmod);
}

/** --chmod takes an octal mode (BuildKit's rule). */
function parseChmod(s: string): number {
  if (!/^[0-7]{1,4}$/.test(s)) throw new Error(`invalid chmod parameter: ${s}`);
  return parseInt(s, 8);
}
