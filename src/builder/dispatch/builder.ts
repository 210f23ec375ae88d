// A whole build, as Docker's classic builder runs it (moby builder/dockerfile/builder.go): the Dockerfile
// read from the context and parsed (errors here are the request's: HTTP 400), then every stage up to the
// target in order, step by step, with "Step N/M" lines; ARGs before the first FROM, --label as LABEL
// steps of the last stage, the unused --build-arg warning at the end.
import { buildFilesToRemove, readDockerignore } from '../context/dockerignore.js';
import type { BuildContext } from '../context/build-context.js';
import { BuildArgs } from '../dockerfile/build-args.js';
import { DockerfileError } from '../dockerfile/dockerfile-error.js';
import { dockerfileWarnings, parseDockerfile, type Dockerfile } from '../dockerfile/dockerfile.js';
import type { LabelCommand, Stage } from '../dockerfile/instructions/commands.js';
import { expandCommand } from '../dockerfile/instructions/expand.js';
import { ShellLex } from '../dockerfile/shell/lex.js';
import { resolveTarget } from '../dockerfile/stages.js';
import type { BuildBackend } from './backend.js';
import { dispatch } from './dispatch.js';
import { initializeStage, SCRATCH } from './dispatch-from.js';
import { StageState, type BuildOptions, type DispatchRequest, type StageResult } from './dispatch-request.js';
import type { BuildOutput } from './output.js';

export interface PreparedBuild {
  dockerfile: Dockerfile;
  /** The stages up to the target, --label steps added to the last. */
  stages: Stage[];
  totalSteps: number;
}

/** Reads and parses the Dockerfile; everything wrong with the request itself is thrown from here. */
export async function prepareBuild(ctx: BuildContext, opts: BuildOptions): Promise<PreparedBuild> {
  const name = opts.dockerfile || 'Dockerfile';
  let text = await ctx.readText(name);
  if (text === undefined && name === 'Dockerfile') text = await ctx.readText('dockerfile');
  if (text === undefined) throw new DockerfileError(`Cannot locate specified Dockerfile: ${name}`);
  // The daemon hides an excluded Dockerfile and .dockerignore from COPY, as Docker's does.
  const ignore = await ctx.readText('.dockerignore');
  if (ignore !== undefined) for (const f of buildFilesToRemove(readDockerignore(ignore), name)) ctx.remove(f);

  const dockerfile = parseDockerfile(text, name);
  const target = resolveTarget(dockerfile.stages, opts.target);
  const stages = dockerfile.stages.slice(0, target + 1).map((s) => ({ ...s, commands: [...s.commands] }));
  const last = stages[stages.length - 1];
  for (const key of Object.keys(opts.labels).sort()) last.commands.push(labelStep(key, opts.labels[key], last));
  const totalSteps = dockerfile.metaArgs.length + stages.reduce((n, s) => n + 1 + s.commands.length, 0);
  return { dockerfile, stages, totalSteps };
}

function labelStep(key: string, value: string, stage: Stage): LabelCommand {
  return { kind: 'label', code: `LABEL ${key}=${value}`, location: stage.location, labels: [{ key, value, noDelim: false }], noExpand: true };
}

/** Runs the build; resolves with the final image's ID. */
export async function runBuild(
  backend: BuildBackend,
  ctx: BuildContext,
  opts: BuildOptions,
  prepared: PreparedBuild,
  out: BuildOutput,
): Promise<string> {
  const { dockerfile, stages, totalSteps } = prepared;
  const buildArgs = new BuildArgs(opts.buildArgs);
  const lex = new ShellLex(dockerfile.escapeToken);
  for (const line of dockerfileWarnings(dockerfile)) out.stderr(`${line}\n`);
  let step = 1;
  for (const m of dockerfile.metaArgs) {
    out.step(step++, totalSteps, m.code);
    const c = expandCommand(m, lex, buildArgs.getAllAllowed());
    if (c.kind !== 'arg') continue;
    for (const a of c.args) {
      buildArgs.addArg(a.key, a.value);
      buildArgs.addMetaArg(a.key, a.value);
    }
  }
  const results: StageResult[] = [];
  let state: StageState | undefined;
  for (const stage of stages) {
    if (stage.name !== '' && results.some((r) => r.name === stage.name)) throw new Error(`${stage.name} stage name already used`);
    state = new StageState(buildArgs.forStage(), SCRATCH);
    const req: DispatchRequest = { backend, out, opts, context: ctx, lex, state, stages: results, containers: [] };
    checkCancelled(opts, out);
    out.step(step++, totalSteps, stage.code);
    await initializeStage(req, stage);
    out.imageId(state.imageId);
    for (const cmd of stage.commands) {
      checkCancelled(opts, out);
      out.step(step++, totalSteps, cmd.code);
      await dispatch(req, cmd);
      out.imageId(state.imageId);
    }
    if (state.imageId !== '') out.aux(state.imageId);
    buildArgs.mergeReferenced(state.buildArgs);
    results.push({ name: stage.name, image: state.image });
  }
  const unused = buildArgs.unusedWarning();
  if (unused) out.stdout(`${unused}\n`);
  if (!state || state.imageId === '') throw new Error('No image was generated. Is your Dockerfile empty?');
  return state.imageId;
}

function checkCancelled(opts: BuildOptions, out: BuildOutput): void {
  if (!opts.signal?.aborted) return;
  out.stdout('Build cancelled\n');
  throw new Error('Build cancelled');
}
