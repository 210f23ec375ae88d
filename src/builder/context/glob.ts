// Go's path/filepath.Match, which COPY and ADD sources with wildcards use: `*` any run of non-slash
// characters, `?` one, `[...]` a class (`^` negates, ranges, `\` escapes), `\` escapes anything.

/** True when the source names a pattern rather than a path (Docker's containsWildcards). */
export function containsWildcards(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    if (ch === '\\') i++;
    else if (ch === '*' || ch === '?' || ch === '[') return true;
  }
  return false;
}

const cache = new Map<string, RegExp | null>();

/** filepath.Match(pattern, name); a malformed pattern matches nothing (as Docker ignores the error). */
export function globMatch(pattern: string, name: string): boolean {
  let re = cache.get(pattern);
  if (re === undefined) {
    re = compile(pattern);
    cache.set(pattern, re);
  }
  return re !== null && re.test(name);
}

const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

function compile(pattern: string): RegExp | null {
  let out = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '\\') {
      if (++i >= pattern.length) return null;
      out += escapeRe(pattern[i]);
    } else if (ch === '[') {
      let j = i + 1;
      let cls = '';
      if (pattern[j] === '^') {
        cls += '^';
        j++;
      }
      let first = true;
      for (;;) {
        if (j >= pattern.length) return null;
        let c = pattern[j];
        if (c === ']' && !first) break;
        first = false;
        if (c === '\\') {
          if (++j >= pattern.length) return null;
          c = pattern[j];
        } else if (c === '-') return null;
        cls += escapeRe(c);
        j++;
        if (pattern[j] === '-' && pattern[j + 1] !== ']') {
          let hi = pattern[j + 1];
          j += 2;
          if (hi === '\\') hi = pattern[j++];
          if (hi === undefined || hi < c) return null;
          cls += `-${escapeRe(hi)}`;
        }
      }
      // A class never matches the separator.
      out += cls.startsWith('^') ? `(?!/)[${cls}]` : `[${cls}]`;
      i = j;
    } else out += escapeRe(ch);
  }
  return new RegExp(out + '$', 's');
}
