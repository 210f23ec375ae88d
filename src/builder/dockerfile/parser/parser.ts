// Reads a Dockerfile's text into instruction nodes, as buildkit's parser.Parse: parser directives at the
// top, comments, line continuations with the escape token (comment and blank lines inside a continuation
// are skipped, blank ones with a warning), per-instruction argument splitting, and heredoc bodies.
import { trimLeftSpace, trimSpace } from '../shell/chars.js';
import { DirectiveParser } from './directives.js';
import { heredocsFromLine } from './heredoc.js';
import {
  parseHealthConfig,
  parseMaybeJSON,
  parseMaybeJSONToList,
  parseNameOrNameVal,
  parseNameVal,
  parseString,
  parseStringsWhitespaceDelimited,
  type LineArgs,
} from './line-parsers.js';
import type { Directive, Node, ParseResult, ParseWarning } from './node.js';
import { splitCommand } from './split-command.js';
import { DockerfileSyntaxError } from './syntax-error.js';

export const DEFAULT_ESCAPE_TOKEN = '\\';

/** bufio.Scanner's limit: a line of 64 KiB or more stops the parse. */
const MAX_LINE_BYTES = 64 * 1024;

const HEREDOC_INSTRUCTIONS = new Set(['add', 'copy', 'run']);

type LineParser = (rest: string, escapeToken: string) => LineArgs;

const LINE_PARSERS: Record<string, LineParser> = {
  add: parseMaybeJSONToList,
  arg: parseNameOrNameVal,
  cmd: parseMaybeJSON,
  copy: parseMaybeJSONToList,
  entrypoint: parseMaybeJSON,
  env: (rest, esc) => parseNameVal(rest, 'ENV', esc),
  expose: parseStringsWhitespaceDelimited,
  from: parseStringsWhitespaceDelimited,
  healthcheck: parseHealthConfig,
  label: (rest, esc) => parseNameVal(rest, 'LABEL', esc),
  maintainer: parseString,
  run: parseMaybeJSON,
  shell: parseMaybeJSON,
  stopsignal: parseString,
  user: parseString,
  volume: parseMaybeJSONToList,
  workdir: parseString,
};

/** Splits text into lines that keep their "\n", as the Go parser's scanner does. */
class LineScanner {
  private pos = 0;
  tooLong = false;

  constructor(private readonly text: string) {}

  scan(): string | undefined {
    if (this.tooLong || this.pos >= this.text.length) return undefined;
    const nl = this.text.indexOf('\n', this.pos);
    const end = nl < 0 ? this.text.length : nl + 1;
    const line = this.text.slice(this.pos, end);
    if (Buffer.byteLength(nl < 0 ? line : line.slice(0, -1)) >= MAX_LINE_BYTES) {
      this.tooLong = true;
      return undefined;
    }
    this.pos = end;
    return line;
  }
}

const trimNewline = (s: string): string => s.replace(/[\r\n]+$/, '');
const isComment = (line: string): boolean => trimLeftSpace(line).startsWith('#');
const isEmptyContinuationLine = (line: string): boolean => trimLeftSpace(trimNewline(line)) === '';

class Directives {
  readonly parser = new DirectiveParser();
  readonly found: Directive[] = [];
  escapeToken = DEFAULT_ESCAPE_TOKEN;
  private continuation = continuationRegExp(DEFAULT_ESCAPE_TOKEN);

  /** True when the line was a parser directive. */
  possibleDirective(line: string): boolean {
    const d = this.parser.parseLine(line);
    if (!d) return false;
    if (d.name === 'escape') {
      if (d.value !== '`' && d.value !== '\\') {
        throw new Error(`invalid escape token '${d.value}' does not match \` or \\`);
      }
      this.escapeToken = d.value;
      this.continuation = continuationRegExp(d.value);
    }
    this.found.push(d);
    return true;
  }

  /** Removes a trailing continuation token; the flag says whether the logical line ends here. */
  trimContinuation(line: string): [string, boolean] {
    if (this.continuation.test(line)) return [line.replace(this.continuation, '$1'), false];
    return [line, true];
  }
}

/** The escape token last on a line continues it, unless it is itself escaped ("foo \\"). */
function continuationRegExp(esc: string): RegExp {
  const e = '\\' + esc;
  return new RegExp(`([^${e}])${e}[ \\t]*$|^${e}[ \\t]*$`);
}

/** Trims the newline and (first lines only) leading space, checks for a directive, drops comments. */
function processLine(d: Directives, raw: string, stripLeft: boolean): [string, boolean] {
  let token = trimNewline(raw);
  if (stripLeft) token = trimLeftSpace(token);
  const directive = d.possibleDirective(token);
  return [isComment(token) ? '' : token, directive];
}

function newNodeFromLine(line: string, d: Directives, comments: string[]): Node {
  const { cmd, flags, args: rest } = splitCommand(line);
  const keyword = cmd.toLowerCase();
  const node: Node = {
    value: cmd,
    args: [],
    flags,
    json: false,
    original: line,
    startLine: 0,
    endLine: 0,
    comments,
    heredocs: [],
  };
  if (keyword === 'onbuild') {
    if (rest !== '') node.child = newNodeFromLine(rest, d, []);
    return node;
  }
  const parse = LINE_PARSERS[keyword];
  // Unknown instructions parse (with no arguments) and are refused when typed.
  if (!parse) return node;
  const parsed = parse(rest, d.escapeToken);
  node.args = parsed.args;
  node.json = parsed.json;
  return node;
}

function canContainHeredoc(node: Node): boolean {
  const target = node.value.toLowerCase() === 'onbuild' && node.child ? node.child : node;
  return HEREDOC_INSTRUCTIONS.has(target.value.toLowerCase()) && !target.json;
}

const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Parses Dockerfile text. Throws DockerfileSyntaxError (Docker prints "failed to parse Dockerfile: …"). */
export function parseDockerfileText(text: string): ParseResult {
  const d = new Directives();
  const scanner = new LineScanner(text);
  const nodes: Node[] = [];
  const warnings: ParseWarning[] = [];
  let comments: string[] = [];
  let currentLine = 0;

  for (let raw = scanner.scan(); raw !== undefined; raw = scanner.scan()) {
    if (currentLine === 0 && raw.startsWith('\ufeff')) raw = raw.slice(1);
    if (isComment(raw)) {
      // Docker drops the first character of the raw line, whatever it is.
      const comment = trimSpace(Array.from(raw).slice(1).join(''));
      comments = comment === '' ? [] : [...comments, comment];
    }
    let token: string;
    let isDirective: boolean;
    try {
      [token, isDirective] = processLine(d, raw, true);
    } catch (err) {
      throw new DockerfileSyntaxError(errorMessage(err), currentLine + 1);
    }
    if (isDirective) comments = comments.slice(0, -1);
    currentLine++;

    const startLine = currentLine;
    let [line, isEndOfLine] = d.trimContinuation(token);
    if (isEndOfLine && line === '') continue;

    let hasEmptyContinuationLine = false;
    while (!isEndOfLine) {
      const next = scanner.scan();
      if (next === undefined) break;
      const [part] = processLine(d, next, false);
      currentLine++;
      // A comment line inside a continuation is skipped; so is a blank one, with a warning.
      if (isComment(next)) continue;
      if (isEmptyContinuationLine(part)) {
        hasEmptyContinuationLine = true;
        continue;
      }
      let piece: string;
      [piece, isEndOfLine] = d.trimContinuation(part);
      line += piece;
    }
    if (hasEmptyContinuationLine) {
      warnings.push({ short: `Empty continuation line found in: ${line}`, line: currentLine });
    }

    let node: Node;
    try {
      node = newNodeFromLine(line, d, comments);
    } catch (err) {
      throw new DockerfileSyntaxError(errorMessage(err), startLine, currentLine);
    }

    if (canContainHeredoc(node) && line.includes('<<')) {
      let docs;
      try {
        docs = heredocsFromLine(line);
      } catch (err) {
        throw new DockerfileSyntaxError(errorMessage(err), startLine, currentLine);
      }
      for (const doc of docs) {
        let content = '';
        let terminated = false;
        for (let body = scanner.scan(); body !== undefined; body = scanner.scan()) {
          currentLine++;
          let candidate = trimNewline(body);
          if (doc.chomp) candidate = candidate.replace(/^\t+/, '');
          if (candidate === doc.name) {
            terminated = true;
            break;
          }
          content += body;
        }
        if (!terminated) throw new DockerfileSyntaxError('unterminated heredoc', startLine, currentLine);
        node.heredocs.push({ ...doc, content });
      }
    }

    node.startLine = startLine;
    node.endLine = currentLine;
    if (node.child) {
      node.child.startLine = startLine;
      node.child.endLine = currentLine;
    }
    nodes.push(node);
    comments = [];
  }

  if (nodes.length === 0) throw new DockerfileSyntaxError('file with no instructions', currentLine);
  if (scanner.tooLong) {
    throw new DockerfileSyntaxError(`dockerfile line greater than max allowed size of ${MAX_LINE_BYTES - 1}`, currentLine);
  }
  return { nodes, escapeToken: d.escapeToken, directives: d.found, warnings };
}

/** How Docker prints parser warnings. */
export function formatParseWarnings(warnings: readonly ParseWarning[]): string[] {
  if (warnings.length === 0) return [];
  return [
    ...warnings.map((w) => `[WARNING]: ${w.short}`),
    '[WARNING]: Empty continuation lines will become errors in a future release.',
  ];
}
