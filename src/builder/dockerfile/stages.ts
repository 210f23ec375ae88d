// Build stages: `--target` resolution, stage references (FROM <stage>, COPY --from=<name|index>,
// RUN --mount=from=<stage>) and the set of stages a target needs, so the others can be skipped.
import { DockerfileError } from './dockerfile-error.js';
import type { Stage } from './instructions/commands.js';

/** The index of the `--target` stage (names compare case-insensitively); the last stage when none. */
export function resolveTarget(stages: readonly Stage[], target?: string): number {
  if (!target) return stages.length - 1;
  const i = stages.findIndex((s) => s.name !== '' && s.name.toLowerCase() === target.toLowerCase());
  if (i < 0) throw new DockerfileError(`failed to reach build target ${target} in Dockerfile`);
  return i;
}

/** Stage names must be unique; Docker's classic builder says "<name> stage name already used". */
export function checkStageNames(stages: readonly Stage[]): void {
  const seen = new Set<string>();
  for (const s of stages) {
    if (s.name === '') continue;
    if (seen.has(s.name)) throw new DockerfileError(`${s.name} stage name already used`, s.location.startLine);
    seen.add(s.name);
  }
}

/**
 * The stage a reference names when used in stage `current`: a name of an earlier stage (case-insensitive)
 * or the number of an earlier stage. Anything else is an image reference (undefined). A number that is
 * not an earlier stage is refused with Docker's "invalid stage index N".
 */
export function stageRef(stages: readonly Stage[], ref: string, current: number): number | undefined {
  const lower = ref.toLowerCase();
  for (let i = 0; i < current; i++) if (stages[i].name !== '' && stages[i].name === lower) return i;
  if (!/^[+-]?\d+$/.test(ref)) return undefined;
  const ix = Number(ref);
  if (ix < 0 || ix >= current) throw new DockerfileError(`invalid stage index ${ix}`);
  return ix;
}

/**
 * The stages `target` depends on (itself included), in build order. `baseName` gives a stage's FROM
 * image after global-ARG expansion (default: as written).
 */
export function stageDependencies(
  stages: readonly Stage[],
  target: number,
  baseName: (stage: Stage, index: number) => string = (s) => s.baseName,
): number[] {
  const needed = new Set<number>();
  const visit = (i: number): void => {
    if (needed.has(i)) return;
    needed.add(i);
    const from = stageRefOrImage(stages, baseName(stages[i], i), i);
    if (from !== undefined) visit(from);
    for (const cmd of stages[i].commands) {
      if (cmd.kind === 'copy' && cmd.from !== '') {
        const j = stageRefOrImage(stages, cmd.from, i);
        if (j !== undefined) visit(j);
      }
      if (cmd.kind === 'run') {
        for (const m of cmd.mounts) {
          const j = m.from ? stageRefOrImage(stages, m.from, i) : undefined;
          if (j !== undefined) visit(j);
        }
      }
    }
  };
  visit(target);
  return [...needed].sort((a, b) => a - b);
}

/** stageRef for planning: a number that is no earlier stage is left for the dispatcher to refuse. */
function stageRefOrImage(stages: readonly Stage[], ref: string, current: number): number | undefined {
  if (/^[+-]?\d+$/.test(ref)) {
    const ix = Number(ref);
    return ix >= 0 && ix < current ? ix : undefined;
  }
  return stageRef(stages, ref, current);
}
