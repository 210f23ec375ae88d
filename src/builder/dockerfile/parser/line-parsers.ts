// Per-instruction argument splitting, as buildkit's line_parsers.go: JSON (exec) form or shell form,
// whitespace lists, ENV/LABEL name=value pairs, ARG words. Quotes are kept here; they are removed when
// words are expanded.
import { goQuote, isSpace, splitWhitespace, trimLeftSpace } from '../shell/chars.js';

export interface LineArgs {
  args: string[];
  json: boolean;
}

const NONE: LineArgs = { args: [], json: false };

export const ERR_NOT_STRING_ARRAY = 'when using JSON array syntax, arrays must be comprised of strings only';

/** Splits on unquoted whitespace, keeping quotes and escapes (an escape at the very end is dropped). */
export function parseWords(rest: string, escapeToken: string): string[] {
  const IN_SPACES = 0;
  const IN_WORD = 1;
  const IN_QUOTE = 2;
  const chars = Array.from(rest);
  const words: string[] = [];
  let phase = IN_SPACES;
  let quote = '';
  let blankOK = false;
  let word = '';
  for (let pos = 0; pos <= chars.length; pos++) {
    let ch = pos < chars.length ? chars[pos] : '';
    if (phase === IN_SPACES) {
      if (pos === chars.length) break;
      if (isSpace(ch)) continue;
      phase = IN_WORD;
    }
    if ((phase === IN_WORD || phase === IN_QUOTE) && pos === chars.length) {
      if (blankOK || word.length > 0) words.push(word);
      break;
    }
    if (phase === IN_WORD) {
      if (isSpace(ch)) {
        phase = IN_SPACES;
        if (blankOK || word.length > 0) words.push(word);
        word = '';
        blankOK = false;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOK = true;
        phase = IN_QUOTE;
      }
      if (ch === escapeToken) {
        if (pos + 1 === chars.length) continue;
        // Outside quotes the escape and the character it escapes are both kept, even a quote.
        word += ch;
        pos++;
        ch = chars[pos];
      }
      word += ch;
      continue;
    }
    // IN_QUOTE
    if (ch === quote) phase = IN_WORD;
    // Inside '…' nothing can be escaped.
    if (ch === escapeToken && quote !== "'") {
      if (pos + 1 === chars.length) {
        phase = IN_WORD;
        continue;
      }
      pos++;
      word += ch;
      ch = chars[pos];
    }
    word += ch;
  }
  return words;
}

/** ENV and LABEL: `KEY value` (old form, the rest of the line is the value) or `k=v k2="v 2"`. */
export function parseNameVal(rest: string, key: 'ENV' | 'LABEL', escapeToken: string): LineArgs {
  const words = parseWords(rest, escapeToken);
  if (words.length === 0) return NONE;
  if (!words[0].includes('=')) {
    const parts = splitWhitespace(rest, 2);
    if (parts.length < 2) throw new Error(`${key} must have two arguments`);
    return { args: [parts[0], parts[1], ''], json: false };
  }
  const args: string[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0) throw new Error(`Syntax error - can't find = in ${goQuote(word)}. Must be of the form: name=value`);
    args.push(word.slice(0, eq), word.slice(eq + 1), '=');
  }
  return { args, json: false };
}

/** ARG: `name`, `name=value`, several per line. */
export function parseNameOrNameVal(rest: string, escapeToken: string): LineArgs {
  return { args: parseWords(rest, escapeToken), json: false };
}

/** FROM, EXPOSE and the shell form of COPY/ADD/VOLUME: split on spaces and tabs. */
export function parseStringsWhitespaceDelimited(rest: string): LineArgs {
  if (rest === '') return NONE;
  return { args: splitWhitespace(rest), json: false };
}

/** MAINTAINER, USER, WORKDIR, STOPSIGNAL: the whole rest is one argument. */
export function parseString(rest: string): LineArgs {
  if (rest === '') return NONE;
  return { args: [rest], json: false };
}

/** A JSON array of strings, or undefined when the text is not valid JSON array syntax. */
function parseJSON(rest: string): LineArgs | undefined {
  const text = trimLeftSpace(rest);
  if (!text.startsWith('[')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(value)) return undefined;
  for (const v of value) if (typeof v !== 'string') throw new Error(ERR_NOT_STRING_ARRAY);
  return { args: value as string[], json: true };
}

/** RUN, CMD, ENTRYPOINT, SHELL: a JSON array, else the whole rest as one shell-form argument. */
export function parseMaybeJSON(rest: string): LineArgs {
  if (rest === '') return NONE;
  return parseJSON(rest) ?? { args: [rest], json: false };
}

/** COPY, ADD, VOLUME: a JSON array, else whitespace-separated words. */
export function parseMaybeJSONToList(rest: string): LineArgs {
  return parseJSON(rest) ?? parseStringsWhitespaceDelimited(rest);
}

/** HEALTHCHECK: a type word (CMD, NONE) then a command like CMD's. */
export function parseHealthConfig(rest: string): LineArgs {
  let sep = 0;
  while (sep < rest.length && !isSpace(rest[sep])) sep++;
  let next = sep;
  while (next < rest.length && isSpace(rest[next])) next++;
  if (sep === 0) return NONE;
  const cmd = parseMaybeJSON(rest.slice(next));
  return { args: [rest.slice(0, sep), ...cmd.args], json: cmd.json };
}
