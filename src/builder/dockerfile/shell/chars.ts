// Go's unicode.IsSpace / IsLetter / IsDigit, which the Dockerfile parser and lexer use to split words.
// JavaScript's \s differs (it includes U+FEFF), so the set is spelled out.

/** unicode.IsSpace: Latin-1 spaces plus the Unicode White_Space property. */
export function isSpace(ch: string): boolean {
  switch (ch) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case '\u0085':
    case '\u00a0':
    case '\u1680':
    case '\u2028':
    case '\u2029':
    case '\u202f':
    case '\u205f':
    case '\u3000':
      return true;
    default:
      return ch >= '\u2000' && ch <= '\u200a';
  }
}

const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;

export const isLetter = (ch: string): boolean => LETTER.test(ch);
export const isDigit = (ch: string): boolean => DIGIT.test(ch);

/** strings.TrimSpace. */
export function trimSpace(s: string): string {
  return trimRightSpace(trimLeftSpace(s));
}

/** strings.TrimLeftFunc(s, unicode.IsSpace). */
export function trimLeftSpace(s: string): string {
  let i = 0;
  while (i < s.length && isSpace(s[i])) i++;
  return s.slice(i);
}

export function trimRightSpace(s: string): string {
  let j = s.length;
  while (j > 0 && isSpace(s[j - 1])) j--;
  return s.slice(0, j);
}

/** regexp `[\t\v\f\r ]+`, the separator the parser splits instruction words with. */
export const RE_WHITESPACE = /[\t\v\f\r ]+/;

/** Go's regexp.Split(s, n) for RE_WHITESPACE: n = -1 splits fully, n = 2 splits once. */
export function splitWhitespace(s: string, n = -1): string[] {
  const out: string[] = [];
  let rest = s;
  const re = /[\t\v\f\r ]+/;
  while (n < 0 || out.length < n - 1) {
    const m = re.exec(rest);
    if (!m) break;
    out.push(rest.slice(0, m.index));
    rest = rest.slice(m.index + m[0].length);
  }
  out.push(rest);
  return out;
}

/** Go's strconv.Quote (the %q verb) for the strings error messages quote. */
export { goQuote } from '../../../api/go-strconv.js';
