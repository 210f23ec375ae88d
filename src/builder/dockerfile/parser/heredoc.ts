// Heredoc words (`<<EOF`, `<<-EOF`, `<<"EOF"`, `3<<EOF`) on RUN, COPY and ADD lines.
import { ShellLex } from '../shell/lex.js';
import type { Heredoc } from './node.js';

const RE_HEREDOC = /^(\d*)<<(-?)([^<]*)$/;
const NO_ENV: ReadonlyMap<string, string> = new Map();

/** The heredoc a word opens, without its body; undefined when the word is not a heredoc. */
export function parseHeredoc(word: string): Omit<Heredoc, 'content'> | undefined {
  const m = RE_HEREDOC.exec(word);
  if (!m) return undefined;
  const rest = m[3];
  if (rest === '') return undefined;
  // Lexing the delimiter with and without quote removal tells whether any part of it was quoted.
  const words = new ShellLex('\\', { skipUnsetEnv: true }).processWords(rest, NO_ENV);
  if (words.length !== 1) return undefined;
  const raw = new ShellLex('\\', { skipUnsetEnv: true, rawQuotes: true }).processWords(rest, NO_ENV);
  if (raw.length !== words.length) {
    throw new Error(`internal lexing of heredoc produced inconsistent results: ${rest}`);
  }
  const quotes = (s: string) => s.split(/['"]/).length - 1;
  return {
    name: words[0],
    fileDescriptor: m[1] === '' ? 0 : Number(m[1]),
    expand: quotes(words[0]) === quotes(raw[0]),
    chomp: m[2] === '-',
  };
}

/** The heredocs a logical line opens, in order. */
export function heredocsFromLine(line: string): Omit<Heredoc, 'content'>[] {
  let words: string[];
  try {
    words = new ShellLex('\\', { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true }).processWords(line, NO_ENV);
  } catch {
    words = [];
  }
  const docs: Omit<Heredoc, 'content'>[] = [];
  for (const word of words) {
    const doc = parseHeredoc(word);
    if (doc) docs.push(doc);
  }
  return docs;
}

/** `<<-` bodies lose the leading tabs of every line. */
export function chompHeredocContent(content: string): string {
  return content.replace(/^\t+/gm, '');
}
