// POST /build: the context streams into the builder's own directory (never extracted, removed afterwards),
// the Dockerfile is parsed (what is wrong with it fails the request), then the build runs, its progress
// streamed as Docker's JSON messages, and the result is tagged ("Successfully built/tagged").
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { JsonMessage } from '../api/types.js';
import { ContextError, receiveContext } from '../builder/context/receive-context.js';
import { prepareBuild, runBuild } from '../builder/dispatch/builder.js';
import type { BuildOptions } from '../builder/dispatch/dispatch-request.js';
import { BuildOutput, shortId } from '../builder/dispatch/output.js';
import { invalidArgument, notFound } from '../errdefs/errors.js';
import { familiarName, fullName, parseReference, withDefaultTag, type Reference } from '../oci/reference.js';
import type { Daemon } from './daemon.js';
import { DaemonBuildBackend } from './image-build-backend.js';
import { builderPaths } from './image-build-paths.js';

export interface ImageBuildOptions {
  /** The context: a tar, plain or gzip. */
  source: Readable;
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
  signal?: AbortSignal;
}

export async function imageBuild(d: Daemon, opts: ImageBuildOptions, emit: (m: JsonMessage) => void): Promise<string> {
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
    try {
      ctx = await receiveContext(opts.source, dir, builderPaths(d).contextStore);
    } catch (err) {
      if (err instanceof ContextError) throw invalidArgument(err.message);
      throw err;
    }
    const prepared = await prepareBuild(ctx, buildOpts);
    // -q: the output is kept back and shown only if the build fails; success prints just the ID.
    const held: JsonMessage[] = [];
    const out = new BuildOutput((m) => (opts.quiet ? held.push(m) : emit(m)));
    const backend = new DaemonBuildBackend(d);
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
  } finally {
    await fs.rm(dir, { recursive: true, force: true }).catch(() => {});
  }
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
