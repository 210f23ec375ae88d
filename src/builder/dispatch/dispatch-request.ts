// What every step works with: the stage's state (its image, run config, build args…), the build's
// options, backend, context and output, and the two ways a step ends in a new image (probeCache, commit).
import type { ContainerConfig } from '../../api/types.js';
import { findCached } from '../cache/cache-probe.js';
import type { BuildContext } from '../context/build-context.js';
import type { BuildArgs } from '../dockerfile/build-args.js';
import type { ShellLex } from '../dockerfile/shell/lex.js';
import type { BuildBackend, BuildImage } from './backend.js';
import { newStepContainerId, type BuildOutput } from './output.js';
import { copyRunConfig, dockerConfigShape, withCmdComment } from './run-config.js';

export interface BuildOptions {
  /** The Dockerfile's path in the context. */
  dockerfile: string;
  noCache: boolean;
  target?: string;
  /** --build-arg values; null for a name given without a value and not set in the client's env. */
  buildArgs: Map<string, string | null>;
  labels: Record<string, string>;
  rm: boolean;
  forceRm: boolean;
  /** The RUN containers' network: "default", "none" or "host". */
  network: string;
  /** Limits for the RUN containers (HostConfig fields: Memory, ShmSize, CpuShares…). */
  resources?: Record<string, number | string>;
  signal?: AbortSignal;
}

export interface StageResult {
  name: string;
  image: BuildImage;
}

/** moby's dispatchState: one per stage. */
export class StageState {
  image: BuildImage;
  runConfig: ContainerConfig = {};
  maintainer = '';
  cmdSet = false;
  stageName = '';
  /** After the first miss a stage stops probing the cache (moby's imageProber). */
  cacheBusted = false;

  constructor(
    readonly buildArgs: BuildArgs,
    base: BuildImage,
  ) {
    this.image = base;
  }

  get imageId(): string {
    return this.image.id;
  }
}

/** A container a step made: a real one (RUN) or the ID a metadata step stands in with. */
export interface StepContainer {
  id: string;
  real: boolean;
}

export interface DispatchRequest {
  backend: BuildBackend;
  out: BuildOutput;
  opts: BuildOptions;
  context: BuildContext;
  lex: ShellLex;
  state: StageState;
  /** Finished stages, in order (COPY --from, FROM <stage>). */
  stages: StageResult[];
  /** Containers of the current step, removed (or not) when it ends, per --rm / --force-rm. */
  containers: StepContainer[];
}

/** Looks the step up in the cache; on a hit the stage moves to the cached image and prints "Using cache". */
export async function probeCache(req: DispatchRequest, stepConfig: ContainerConfig): Promise<boolean> {
  const s = req.state;
  if (req.opts.noCache || s.cacheBusted) return false;
  const id = findCached(req.backend.cacheCandidates(s.imageId), stepConfig);
  if (!id) {
    s.cacheBusted = true;
    return false;
  }
  req.out.usingCache();
  s.image = await req.backend.getImage(id, { localOnly: true });
  return true;
}

/** The image config a step records: the run config as the step left it. */
export const imageRunConfig = (s: StageState): ContainerConfig => dockerConfigShape(copyRunConfig(s.runConfig, { Image: s.imageId }));

/**
 * A metadata step (ENV, LABEL, CMD…): probe the cache with the "#(nop) <comment>" command, else write the
 * new image's config. No container is needed for that (see output.ts on the lines printed for one).
 */
export async function commit(req: DispatchRequest, comment: string): Promise<void> {
  const s = req.state;
  const stepConfig = withCmdComment(copyRunConfig(s.runConfig, { Image: s.imageId }), comment);
  if (await probeCache(req, stepConfig)) return;
  const container = newStepContainerId();
  req.out.runningIn(container);
  req.containers.push({ id: container, real: false });
  s.image = await req.backend.createImage(s.image, undefined, {
    config: imageRunConfig(s),
    containerConfig: dockerConfigShape({ ...stepConfig, Hostname: container.slice(0, 12) }),
    container,
    author: s.maintainer || undefined,
  });
}
