// The Dockerfile syntax tree: one node per instruction, as buildkit's parser.Node holds it
// (its linked list of argument nodes flattened into `args`).

/** A heredoc body attached to RUN, COPY or ADD (`<<EOF`, `<<-EOF`, `<<"EOF"`). */
export interface Heredoc {
  /** The delimiter word with quotes removed. */
  name: string;
  /** The file descriptor written before `<<` (`3<<EOF`), 0 when none. */
  fileDescriptor: number;
  /** False when any part of the delimiter was quoted: the body is not variable-expanded. */
  expand: boolean;
  /** `<<-`: leading tabs are stripped from the body and the terminator. */
  chomp: boolean;
  /** The body, lines with their line endings, terminator excluded; not yet chomped. */
  content: string;
}

export interface Node {
  /** The instruction word as written ("RUN", "run", "FOOBAR"). */
  value: string;
  /** The arguments after flags, as the instruction's line parser split them (ENV/LABEL: key, value, "=" or ""). */
  args: string[];
  /** `--name[=value]` words written before the arguments. */
  flags: string[];
  /** True when the arguments were a JSON array (exec form). */
  json: boolean;
  /** The logical line: continuation lines joined, escapes and comments removed. */
  original: string;
  /** 1-based first and last physical line (heredoc bodies included). */
  startLine: number;
  endLine: number;
  /** Comment lines directly above the instruction (without "#"). */
  comments: string[];
  heredocs: Heredoc[];
  /** ONBUILD's trigger instruction. */
  child?: Node;
}

export interface Directive {
  name: string;
  value: string;
  line: number;
}

export interface ParseWarning {
  /** What Docker prints after "[WARNING]: ". */
  short: string;
  line: number;
}

export interface ParseResult {
  nodes: Node[];
  /** The escape token in force: "\\" or "`". */
  escapeToken: string;
  /** Parser directives found at the top (`escape`, `syntax`). */
  directives: Directive[];
  warnings: ParseWarning[];
}
