// A parsed Dockerfile to build stages: global ARGs before the first FROM, then each FROM with the commands
// after it. Errors read as Docker's classic builder prints them: "dockerfile parse error line N: ...".
import { DockerfileError } from '../dockerfile-error.js';
import type { Node } from '../parser/node.js';
import type { ArgCommand, Stage } from './commands.js';
import { parseInstruction, UnknownInstructionError, type Instruction } from './parse-instruction.js';

export interface ParsedInstructions {
  stages: Stage[];
  /** ARG instructions before the first FROM: usable in FROM lines. */
  metaArgs: ArgCommand[];
}

const isStage = (i: Instruction): i is Stage => !('kind' in i);

/** Types one node, wrapping any complaint with its line as Docker does. */
export function parseNode(node: Node): Instruction {
  try {
    return parseInstruction(node);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const wrapped = new DockerfileError(`dockerfile parse error line ${node.startLine}: ${message}`, node.startLine, node.endLine);
    if (err instanceof UnknownInstructionError) wrapped.cause = err;
    throw wrapped;
  }
}

export function parseInstructions(nodes: readonly Node[]): ParsedInstructions {
  const stages: Stage[] = [];
  const metaArgs: ArgCommand[] = [];
  for (const node of nodes) {
    const inst = parseNode(node);
    if (isStage(inst)) {
      stages.push(inst);
      continue;
    }
    if (stages.length === 0) {
      if (inst.kind === 'arg') {
        metaArgs.push(inst);
        continue;
      }
      throw new DockerfileError('no build stage in current context', node.startLine, node.endLine);
    }
    stages[stages.length - 1].commands.push(inst);
  }
  return { stages, metaArgs };
}

/** True when a parse failed on an instruction word Docker does not know. */
export const isUnknownInstruction = (err: unknown): boolean =>
  err instanceof DockerfileError && err.cause instanceof UnknownInstructionError;
