// .dockerignore: reading the file (moby/patternmatcher/ignorefile) and matching context paths against it
// (moby/patternmatcher) exactly as Docker does: a path is excluded when the last pattern that matches it,
// or one of its parent directories, is not an `!` exception. Paths are slash-separated and relative to
// the context root.

/** Reads .dockerignore text: comments (`#` in column 1) and blank lines dropped, `/` and `./` cleaned. */
export function readDockerignore(text: string): string[] {
  const out: string[] = [];
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  lines.forEach((raw, i) => {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (i === 0 && line.startsWith('\ufeff')) line = line.slice(1);
    if (line.startsWith('#')) return;
    let pattern = line.trim();
    if (pattern === '') return;
    const invert = pattern[0] === '!';
    if (invert) pattern = pattern.slice(1).trim();
    if (pattern.length > 0) {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern[0] === '/') pattern = pattern.slice(1);
    }
    out.push(invert ? '!' + pattern : pattern);
  });
  return out;
}

/** Go's path.Clean: the shortest equivalent slash path ("" → ".", "a/../b" → "b", "./x/" → "x"). */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** Go's path.Dir. */
function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return cleanPath(i < 0 ? '' : p.slice(0, i + 1));
}

/** filepath.Match's syntax check: unclosed `[`, bad ranges and a trailing `\` are errors. */
function checkPatternSyntax(pattern: string): void {
  const bad = () => new Error('syntax error in pattern');
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (i + 1 >= pattern.length) throw bad();
      i++;
    } else if (c === '[') {
      i++;
      if (pattern[i] === '^') i++;
      let first = true;
      for (;;) {
        if (i >= pattern.length) throw bad();
        if (pattern[i] === ']' && !first) break;
        first = false;
        let lo = pattern[i];
        if (lo === '\\') {
          i++;
          if (i >= pattern.length) throw bad();
          lo = pattern[i];
        } else if (lo === '-' || lo === ']') {
          throw bad();
        }
        i++;
        if (pattern[i] === '-') {
          i++;
          let hi = pattern[i];
          if (hi === undefined || hi === ']' || hi === '-') throw bad();
          if (hi === '\\') {
            i++;
            hi = pattern[i];
            if (hi === undefined) throw bad();
          }
          if (hi < lo) throw bad();
          i++;
        }
      }
    }
  }
}

type MatchType = 'exact' | 'prefix' | 'suffix' | 'regexp';

/** Regexp characters that mean nothing to filepath.Match and so are escaped. */
const SHOULD_ESCAPE = '.+()|{}$';

export class Pattern {
  private matchType?: MatchType;
  private regexp?: RegExp;
  readonly dirs: string[];

  constructor(
    /** The pattern after cleaning, without its `!`. */
    readonly cleaned: string,
    readonly exclusion: boolean,
  ) {
    this.dirs = cleaned.split('/');
  }

  toString(): string {
    return this.cleaned;
  }

  match(path: string): boolean {
    if (this.matchType === undefined) this.compile();
    switch (this.matchType) {
      case 'exact':
        return path === this.cleaned;
      case 'prefix':
        return path.startsWith(this.cleaned.slice(0, -2));
      case 'suffix': {
        const suffix = this.cleaned.slice(2);
        if (path.endsWith(suffix)) return true;
        // **/foo matches "foo" itself
        return suffix[0] === '/' && path === suffix.slice(1);
      }
      default:
        return this.regexp!.test(path);
    }
  }

  private compile(): void {
    const chars = Array.from(this.cleaned);
    let re = '^';
    let type: MatchType = 'exact';
    let pos = 0;
    const peek = () => chars[pos];
    for (let i = 0; pos < chars.length; i++) {
      const ch = chars[pos++];
      if (ch === '*') {
        if (peek() === '*') {
          pos++;
          if (peek() === '/') pos++; // **/ is the same as **
          if (peek() === undefined) {
            if (type === 'exact') type = 'prefix';
            else {
              re += '.*';
              type = 'regexp';
            }
          } else {
            // ** matches any number of directories, none included
            re += '(.*/)?';
            type = 'regexp';
          }
          if (i === 0) type = 'suffix';
        } else {
          re += '[^/]*';
          type = 'regexp';
        }
      } else if (ch === '?') {
        re += '[^/]';
        type = 'regexp';
      } else if (SHOULD_ESCAPE.includes(ch)) {
        re += '\\' + ch;
      } else if (ch === '\\') {
        if (peek() !== undefined) {
          re += '\\' + chars[pos++];
          type = 'regexp';
        } else {
          re += '\\\\';
        }
      } else if (ch === '[' || ch === ']') {
        re += ch;
        type = 'regexp';
      } else {
        re += ch;
      }
    }
    this.matchType = type;
    if (type !== 'regexp') return;
    try {
      this.regexp = new RegExp(re + '$', 'u');
    } catch {
      this.regexp = new RegExp(re + '$');
    }
  }
}

export class PatternMatcher {
  readonly patterns: Pattern[] = [];
  /** True when some pattern is an `!` exception. */
  readonly exclusions: boolean = false;

  /** Throws `illegal exclusion pattern: "!"` or `syntax error in pattern` as Docker does. */
  constructor(patterns: readonly string[]) {
    for (const raw of patterns) {
      let p = raw.trim();
      if (p === '') continue;
      p = cleanPath(p);
      let exclusion = false;
      if (p[0] === '!') {
        if (p.length === 1) throw new Error('illegal exclusion pattern: "!"');
        exclusion = true;
        p = p.slice(1);
        this.exclusions = true;
      }
      checkPatternSyntax(p);
      this.patterns.push(new Pattern(p, exclusion));
    }
  }

  /**
   * MatchesOrParentMatches: whether `file` (or a parent directory of it) is excluded. The last pattern
   * that matches decides; exceptions are only tried once something matched.
   */
  matches(file: string): boolean {
    const parent = dirOf(file);
    const parentDirs = parent.split('/');
    let matched = false;
    for (const pattern of this.patterns) {
      if (pattern.exclusion !== matched) continue;
      let match = pattern.match(file);
      if (!match && parent !== '.') {
        for (let i = 0; i < parentDirs.length && !match; i++) match = pattern.match(parentDirs.slice(0, i + 1).join('/'));
      }
      if (match) matched = !pattern.exclusion;
    }
    return matched;
  }

  /**
   * Whether the walker may skip the directory `dir` (already known to be excluded) without looking inside:
   * Docker descends only when an exception pattern starts with `dir/` (so `!**\/keep` cannot re-include
   * files below an excluded directory, exactly as with docker build).
   */
  canSkipExcludedDir(dir: string): boolean {
    if (!this.exclusions) return true;
    const dirSlash = dir + '/';
    return !this.patterns.some((p) => p.exclusion && (p.cleaned + '/').startsWith(dirSlash));
  }

  /** For a walker: whether `dir` is excluded and nothing beneath it can be re-included. */
  canSkipDir(dir: string): boolean {
    return this.matches(dir) && this.canSkipExcludedDir(dir);
  }
}

/** patternmatcher.MatchesOrParentMatches(file, patterns); "." is never excluded. */
export function isExcluded(file: string, patterns: readonly string[]): boolean {
  const pm = new PatternMatcher(patterns);
  const f = cleanPath(file);
  if (f === '.') return false;
  return pm.matches(f);
}

/**
 * The client's rule that the Dockerfile and .dockerignore always reach the daemon: exceptions are
 * appended for them when the patterns would exclude them (not for a Dockerfile read from stdin).
 */
export function keepBuildFiles(excludes: readonly string[], dockerfile: string, dockerfileFromStdin = false): string[] {
  const out = [...excludes];
  if (isExcluded('.dockerignore', out)) out.push('!.dockerignore');
  const df = dockerfile.replace(/\\/g, '/');
  if (isExcluded(df, out) && !dockerfileFromStdin) out.push('!' + df);
  return out;
}

/**
 * The daemon's side of that rule: after reading the Dockerfile it removes .dockerignore and the
 * Dockerfile from the context when the .dockerignore excludes them, so COPY . cannot see them.
 */
export function buildFilesToRemove(excludes: readonly string[], dockerfile: string): string[] {
  return ['.dockerignore', dockerfile].filter((f) => isExcluded(f, excludes));
}
