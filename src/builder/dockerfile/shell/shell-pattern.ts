// Shell wildcard patterns (`*`, `?`, `\` escapes; no bracket expressions) of ${VAR#pat}, ${VAR%pat} and
// ${VAR/pat/repl}, converted to regular expressions as buildkit's convertShellPatternToRegex does.

import { LexError } from './lex-error.js';

const REGEX_SPECIAL = '[]{}.+()|^$';

/** The pattern as a RegExp; `greedy` picks longest `*` matches, `anchored` matches only at the start. */
export function shellPatternToRegExp(pattern: string, greedy: boolean, anchored: boolean, global = false): RegExp {
  const chars = Array.from(pattern);
  let out = anchored ? '^' : '';
  const star = greedy ? '.*' : '.*?';
  for (let i = 0; i < chars.length; i++) {
    let tok = chars[i];
    if (tok === '*') {
      out += star;
      continue;
    }
    if (tok === '?') {
      out += '.';
      continue;
    }
    if (tok === '\\') {
      // `\}` and `\/` were only escaped for the ${} syntax; the backslash is not part of the pattern.
      const after = chars[i + 1];
      if (after === '}' || after === '/') continue;
      out += '\\';
      i++;
      tok = chars[i] ?? '\ufffd';
      if (tok !== '*' && tok !== '?' && tok !== '\\') throw new Error(`invalid escape '\\${tok}'`);
    } else if (REGEX_SPECIAL.includes(tok)) {
      out += '\\';
    }
    out += tok;
  }
  return new RegExp(out, global ? 'gu' : 'u');
}

/** ${VAR#pat} / ${VAR##pat}: removes the shortest (longest if greedy) matching prefix. */
export function trimPrefix(pattern: string, value: string, greedy: boolean): string {
  let re: RegExp;
  try {
    re = shellPatternToRegExp(pattern, greedy, true);
  } catch (err) {
    throw new LexError(`invalid pattern (${pattern}) in substitution: ${(err as Error).message}`);
  }
  const m = re.exec(value);
  return m ? value.slice(m[0].length) : value;
}

/** ${VAR%pat} / ${VAR%%pat}: reverses pattern and value so the rightmost match becomes a leftmost one. */
export function trimSuffix(pattern: string, value: string, greedy: boolean): string {
  const reversed = reverseString(trimPrefix(reversePattern(pattern), reverseString(value), greedy));
  return reversed;
}

/** Reverses a pattern but keeps each escape before the character it escapes: a\*c → c\*a. */
function reversePattern(pattern: string): string {
  const runes = Array.from(pattern);
  const out: string[] = new Array<string>(runes.length);
  const last = runes.length - 1;
  for (let i = 0; i <= last; ) {
    const tok = runes[i];
    const at = last - i;
    if (tok === '\\' && i !== last) {
      out[at - 1] = tok;
      out[at] = runes[i + 1];
      i += 2;
    } else {
      out[at] = tok;
      i++;
    }
  }
  return out.join('');
}

const reverseString = (s: string): string => Array.from(s).reverse().join('');
