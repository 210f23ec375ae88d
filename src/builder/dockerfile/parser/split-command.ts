// Splits a logical line into instruction word, `--flag` words and the rest, as buildkit's splitCommand.
import { isSpace, splitWhitespace, trimSpace } from '../shell/chars.js';

export interface SplitCommand {
  cmd: string;
  flags: string[];
  args: string;
}

export function splitCommand(line: string): SplitCommand {
  const parts = splitWhitespace(trimSpace(line), 2);
  let args = '';
  let flags: string[] = [];
  if (parts.length === 2) [args, flags] = extractBuilderFlags(parts[1]);
  return { cmd: parts[0], flags, args: trimSpace(args) };
}

/**
 * Takes leading words that start with `--` (quotes removed, `\` escapes the next character); a bare `--`
 * ends the flags. Returns the remaining text and the flag words.
 */
export function extractBuilderFlags(line: string): [string, string[]] {
  const IN_SPACES = 0;
  const IN_WORD = 1;
  const IN_QUOTE = 2;
  const words: string[] = [];
  let phase = IN_SPACES;
  let word = '';
  let quote = '';
  let blankOK = false;
  for (let pos = 0; pos <= line.length; pos++) {
    const ch = pos < line.length ? line[pos] : '';
    if (phase === IN_SPACES) {
      if (pos === line.length) break;
      if (isSpace(ch)) continue;
      // Only words starting with "--" are flags.
      if (ch !== '-' || pos + 1 === line.length || line[pos + 1] !== '-') return [line.slice(pos), words];
      phase = IN_WORD;
    }
    if ((phase === IN_WORD || phase === IN_QUOTE) && pos === line.length) {
      if (word !== '--' && (blankOK || word.length > 0)) words.push(word);
      break;
    }
    if (phase === IN_WORD) {
      if (isSpace(ch)) {
        phase = IN_SPACES;
        if (word === '--') return [line.slice(pos), words];
        if (blankOK || word.length > 0) words.push(word);
        word = '';
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = IN_QUOTE;
        continue;
      }
      let c = ch;
      if (c === '\\') {
        if (pos + 1 === line.length) continue;
        pos++;
        c = line[pos];
      }
      word += c;
      continue;
    }
    // IN_QUOTE
    if (ch === quote) {
      phase = IN_WORD;
      continue;
    }
    let c = ch;
    if (c === '\\') {
      if (pos + 1 === line.length) {
        phase = IN_WORD;
        continue;
      }
      pos++;
      c = line[pos];
    }
    word += c;
  }
  return ['', words];
}
