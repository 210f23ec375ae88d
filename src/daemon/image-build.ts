// POST /build: the context streams into the builder's own directory (never extracted, removed afterwards),
// the Dockerfile is parsed (what is wrong with it fails the request), then the build runs, its progress
// streamed as Docker's JSON messages, and the result is tagged ("Successfully built/tagged").
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { JsonMessage } from '../api/types.js';
import type { BuildContext } from '../builder/context/build-context.js';
import { ContextHashCache } from '../builder/context/hash-cache.js';
import { indexDirectory } from '../builder/context/index-directory.js';
import { ContextError, receiveContext } from '../builder/context/receive-context.js';
import { prepareBuild, runBuild } from '../builder/dispatch/builder.js';
import type { BuildOptions } from '../builder/dispatch/dispatch-request.js';
import { BuildOutput, shortId } from '../builder/dispatch/output.js';
import type { AuthConfig } from '../distribution/auth-config.js';
import type { Distribution } from '../distribution/distribution.js';
import { invalidArgument, notFound } from '../errdefs/errors.js';
import { familiarName, fullName, parseReference, withDefaultTag, type Reference } from '../oci/reference.js';
import type { Daemon } from './daemon.js';
import { DaemonBuildBackend } from './image-build-backend.js';
import { builderPaths } from './image-build-paths.js';

export interface ImageBuildOptions {
  /** The context: a tar, plain or gzip. */
  source: Readable;
  /** Instead, a context directory on this host, read in place (berth's `contextdir=`; index-directory.ts). */
  contextDir?: string;
  dockerfile?: string;
  tags: string[];
  quiet?: boolean;
  noCache?: boolean;
  target?: string;
  buildArgs?: Record<string, string | null>;
  labels?: Record<string, string>;
  /** Default true, as in Docker. */
  rm?: boolean;
  forceRm?: boolean;
  networkMode?: string;
  /** The RUN containers' limits, as HostConfig fields. */
  resources?: Record<string, number | string>;
  /** pull=1: pull base images (FROM, COPY --from) even when they are here. */
  pull?: boolean;
  /** X-Registry-Config: credentials for those pulls, by registry. */
  authConfigs?: Record<string, AuthConfig>;
  signal?: AbortSignal;
}

export async function imageBuild(d: Daemon, opts: ImageBuildOptions, emit: (m: JsonMessage) => void, dist?: Distribution): Promise<string> {
  const refs = opts.tags.map(tagReference);
  const network = networkOf(opts.networkMode);
  const buildOpts: BuildOptions = {
    dockerfile: opts.dockerfile || 'Dockerfile',
    noCache: Boolean(opts.noCache),
    target: opts.target || undefined,
    buildArgs: new Map(Object.entries(opts.buildArgs ?? {})),
    labels: opts.labels ?? {},
    rm: opts.rm ?? true,
    forceRm: Boolean(opts.forceRm),
    network,
    resources: opts.resources ?? {},
    signal: opts.signal,
  };
  const dir = path.join(builderPaths(d).contexts, randomBytes(16).toString('hex'));
  try {
    let ctx;
    let hashes: ContextHashCache | undefined;
    if (opts.contextDir) {
      const root = await checkContextDir(opts.contextDir);
      hashes = await ContextHashCache.load(hashCacheFile(d, root));
      ctx = await indexDirectory(root, buildOpts.dockerfile, dir, hashes);
    } else {
      try {
        ctx = await receiveContext(opts.source, dir, builderPaths(d).contextStore);
      } catch (err) {
        if (err instanceof ContextError) throw invalidArgument(err.message);
        throw err;
      }
    }
    try {
      return await buildFromContext(d, ctx, buildOpts, refs, opts, emit, dist);
    } finally {
      await hashes?.save().catch(() => {});
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
  }
}

async function buildFromContext(
  d: Daemon,
  ctx: BuildContext,
  buildOpts: BuildOptions,
  refs: Reference[],
  opts: ImageBuildOptions,
  emit: (m: JsonMessage) => void,
  dist: Distribution | undefined,
): Promise<string> {
  const prepared = await prepareBuild(ctx, buildOpts);
  // -q: the output is kept back and shown only if the build fails; success prints just the ID.
  const held: JsonMessage[] = [];
  const sink = (m: JsonMessage) => (opts.quiet ? held.push(m) : emit(m));
  const out = new BuildOutput(sink);
  const backend = new DaemonBuildBackend(d, { dist, always: opts.pull, authConfigs: opts.authConfigs, progress: sink, signal: opts.signal });
  let id: string;
  try {
    id = await runBuild(backend, ctx, buildOpts, prepared, out);
    for (const ref of refs) await backend.tag(id, fullName(ref));
  } catch (err) {
    for (const m of held) emit(m);
    throw err;
  }
  if (opts.quiet) emit({ stream: `${id}\n` });
  else {
    emit({ stream: `Successfully built ${shortId(id)}\n` });
    for (const ref of refs) emit({ stream: `Successfully tagged ${familiarName(ref)}\n` });
  }
  return id;
}

/** `contextdir=` names a directory on this host by its absolute path. */
async function checkContextDir(p: string): Promise<string> {
  if (!path.isAbsolute(p)) throw invalidArgument(`contextdir must be an absolute path: ${p}`);
  const st = await fs.stat(p).catch(() => undefined);
  if (!st) throw invalidArgument(`unable to prepare context: path "${p}" not found`);
  if (!st.isDirectory()) throw invalidArgument(`unable to prepare context: context must be a directory: ${p}`);
  return p;
}

function hashCacheFile(d: Daemon, contextDir: string): string {
  return path.join(builderPaths(d).contextHashes, `${createHash('sha256').update(contextDir).digest('hex').slice(0, 32)}.json`);
}

function tagReference(tag: string): Reference {
  const ref = withDefaultTag(parseReference(tag));
  if (ref.digest) throw invalidArgument(`invalid reference format`);
  return ref;
}

/** The RUN containers' network, as the request names it. */
function networkOf(mode: string | undefined): string {
  if (!mode || mode === 'default' || mode === 'bridge') return 'default';
  if (mode === 'none' || mode === 'host') return mode;
  throw notFound(`network ${mode} not found`);
}
