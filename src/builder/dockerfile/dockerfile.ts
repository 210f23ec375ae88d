// The builder's front door: Dockerfile text to typed build stages, with Docker's error texts
// ("the Dockerfile (Dockerfile) cannot be empty", "failed to parse Dockerfile: …",
// "dockerfile parse error line N: …", "no build stage in current context").
import { DockerfileError } from './dockerfile-error.js';
import type { ArgCommand, Stage } from './instructions/commands.js';
import { parseInstructions } from './instructions/parse.js';
import type { Directive, Node, ParseWarning } from './parser/node.js';
import { formatParseWarnings, parseDockerfileText } from './parser/parser.js';
import { DockerfileSyntaxError } from './parser/syntax-error.js';

export interface Dockerfile {
  escapeToken: string;
  directives: Directive[];
  warnings: ParseWarning[];
  nodes: Node[];
  stages: Stage[];
  metaArgs: ArgCommand[];
}

/** Parses the text of the Dockerfile called `name` (as the build request named it). */
export function parseDockerfile(text: string, name = 'Dockerfile'): Dockerfile {
  if (text.length === 0) throw new DockerfileError(`the Dockerfile (${name}) cannot be empty`);
  let parsed;
  try {
    parsed = parseDockerfileText(text);
  } catch (err) {
    if (err instanceof DockerfileSyntaxError) {
      throw new DockerfileError(`failed to parse ${name}: ${err.message}`, err.startLine, err.endLine);
    }
    throw err;
  }
  const { stages, metaArgs } = parseInstructions(parsed.nodes);
  return {
    escapeToken: parsed.escapeToken,
    directives: parsed.directives,
    warnings: parsed.warnings,
    nodes: parsed.nodes,
    stages,
    metaArgs,
  };
}

/** The lines Docker prints for the parser's warnings (empty continuation lines). */
export const dockerfileWarnings = (df: Dockerfile): string[] => formatParseWarnings(df.warnings);
