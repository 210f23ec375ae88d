// Variable substitution and word splitting of Dockerfile words, as buildkit's shell.Lex does it:
// $VAR, ${VAR}, ${VAR:-x} ${VAR-x} ${VAR:+x} ${VAR+x} ${VAR:?msg} ${VAR?msg}, ${VAR#pat} ${VAR##pat}
// ${VAR%pat} ${VAR%%pat}, ${VAR/pat/repl} ${VAR//pat/repl}; single and double quotes (removed unless
// rawQuotes) and the escape character. It mimics sh, not bash, and never runs anything.
import { goQuote, isDigit, isLetter, isSpace } from './chars.js';
import { LexError } from './lex-error.js';
import { shellPatternToRegExp, trimPrefix, trimSuffix } from './shell-pattern.js';

/** Variables visible to an expansion. Keys compare exactly (Linux semantics). */
export type Env = ReadonlyMap<string, string>;

export interface LexOptions {
  /** Keep quote characters in the result (used to tell quoted heredoc delimiters apart). */
  rawQuotes?: boolean;
  /** Keep escape characters in the result. */
  rawEscapes?: boolean;
  /** Treat quotes as ordinary characters. */
  skipProcessQuotes?: boolean;
  /** Leave references to unset variables as they were written instead of expanding them to "". */
  skipUnsetEnv?: boolean;
}

export interface ProcessResult {
  /** The expanded word (spaces kept). */
  result: string;
  /** The expanded word split into words on unquoted whitespace. */
  words: string[];
  /** Variable names that were referenced and set. */
  matched: Set<string>;
  /** Variable names that were referenced but not set. */
  unmatched: Set<string>;
}

export { LexError };

const EOF = '';

/** `KEY=value` strings to an Env; a later duplicate wins, a bare `KEY` is set to "". */
export function envFromList(list: readonly string[]): Map<string, string> {
  const env = new Map<string, string>();
  for (const e of list) {
    const i = e.indexOf('=');
    if (i < 0) env.set(e, '');
    else env.set(e.slice(0, i), e.slice(i + 1));
  }
  return env;
}

export class ShellLex {
  constructor(
    readonly escapeToken: string = '\\',
    readonly options: LexOptions = {},
  ) {}

  /** ProcessWord: the expanded word; errors read `failed to process "<word>": <why>`. */
  processWord(word: string, env: Env): string {
    return this.process(word, env).result;
  }

  /** ProcessWords: the expanded word split into words (quotes keep spaces inside a word). */
  processWords(word: string, env: Env): string[] {
    return this.process(word, env).words;
  }

  process(word: string, env: Env): ProcessResult {
    const sw = new ShellWord(word, env, this.escapeToken, this.options);
    try {
      const [result, words] = sw.processStopOn(EOF, !!this.options.rawEscapes);
      return { result, words, matched: sw.matched, unmatched: sw.unmatched };
    } catch (err) {
      if (err instanceof LexError) throw new LexError(`failed to process ${goQuote(word)}: ${err.message}`);
      throw err;
    }
  }
}

class Words {
  word = '';
  words: string[] = [];
  inWord = false;

  addChar(ch: string): void {
    if (isSpace(ch) && this.inWord) {
      if (this.word.length !== 0) {
        this.words.push(this.word);
        this.word = '';
        this.inWord = false;
      }
    } else if (!isSpace(ch)) {
      this.addRawChar(ch);
    }
  }

  addRawChar(ch: string): void {
    this.word += ch;
    this.inWord = true;
  }

  addString(s: string): void {
    for (const ch of s) this.addChar(ch);
  }

  addRawString(s: string): void {
    this.word += s;
    this.inWord = true;
  }

  getWords(): string[] {
    if (this.word.length > 0) {
      this.words.push(this.word);
      this.word = '';
      this.inWord = false;
    }
    return this.words;
  }
}

class ShellWord {
  private readonly chars: string[];
  private pos = 0;
  private rawEscapes: boolean;
  readonly matched = new Set<string>();
  readonly unmatched = new Set<string>();

  constructor(
    word: string,
    private readonly env: Env,
    private readonly escapeToken: string,
    private readonly opts: LexOptions,
  ) {
    this.chars = Array.from(word);
    this.rawEscapes = !!opts.rawEscapes;
  }

  private peek(): string {
    return this.pos < this.chars.length ? this.chars[this.pos] : EOF;
  }

  private next(): string {
    return this.pos < this.chars.length ? this.chars[this.pos++] : EOF;
  }

  /** Reads up to `stop` (consumed) or the end; returns the text and its words. */
  processStopOn(stop: string, rawEscapes: boolean): [string, string[]] {
    let result = '';
    const words = new Words();
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      while (this.peek() !== EOF) {
        let ch = this.peek();
        if (stop !== EOF && ch === stop) {
          this.next();
          return [result, words.getWords()];
        }
        if (ch === '$' || (!this.opts.skipProcessQuotes && (ch === "'" || ch === '"'))) {
          const tmp = ch === '$' ? this.processDollar() : ch === "'" ? this.processSingleQuote() : this.processDoubleQuote();
          result += tmp;
          if (ch === '$') words.addString(tmp);
          else words.addRawString(tmp);
          continue;
        }
        ch = this.next();
        if (ch === this.escapeToken) {
          if (this.rawEscapes) {
            words.addRawChar(ch);
            result += ch;
          }
          // The escape character escapes the next one; at the very end it is dropped.
          ch = this.next();
          if (ch === EOF) break;
          words.addRawChar(ch);
        } else {
          words.addChar(ch);
        }
        result += ch;
      }
      if (stop !== EOF) throw new LexError(`unexpected end of statement while looking for matching ${stop}`);
      return [result, words.getWords()];
    } finally {
      this.rawEscapes = saved;
    }
  }

  private processSingleQuote(): string {
    // Everything up to the next ' is literal; a ' cannot be escaped inside.
    let result = '';
    const open = this.next();
    if (this.opts.rawQuotes) result += open;
    for (;;) {
      const ch = this.next();
      if (ch === EOF) throw new LexError('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") {
        if (this.opts.rawQuotes) result += ch;
        return result;
      }
      result += ch;
    }
  }

  private processDoubleQuote(): string {
    // Literal except $ and the escape character, which escapes only " $ and itself.
    let result = '';
    const open = this.next();
    if (this.opts.rawQuotes) result += open;
    for (;;) {
      const p = this.peek();
      if (p === EOF) throw new LexError('unexpected end of statement while looking for matching double-quote');
      if (p === '"') {
        const ch = this.next();
        if (this.opts.rawQuotes) result += ch;
        return result;
      }
      if (p === '$') {
        result += this.processDollar();
        continue;
      }
      let ch = this.next();
      if (ch === this.escapeToken) {
        if (this.rawEscapes) result += ch;
        const after = this.peek();
        if (after === EOF) continue;
        if (after === '"' || after === '$' || after === this.escapeToken) ch = this.next();
      }
      result += ch;
    }
  }

  private processDollar(): string {
    this.next();
    if (this.peek() !== '{') {
      const name = this.processName();
      if (name === '') return '$';
      const [value, set] = this.getEnv(name);
      if (!set && this.opts.skipUnsetEnv) return '$' + name;
      return value;
    }
    this.next();
    const first = this.peek();
    if (first === EOF) throw new LexError("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':') throw new LexError('syntax error: bad substitution');
    const name = this.processName();
    let ch = this.next();
    let chs = ch === EOF ? '\ufffd' : ch;
    let nullIsUnset = false;
    switch (ch) {
      case '}': {
        const [value, set] = this.getEnv(name);
        if (!set && this.opts.skipUnsetEnv) return `\${${name}}`;
        return value;
      }
      case ':':
        nullIsUnset = true;
        ch = this.next();
        chs += ch === EOF ? '\ufffd' : ch;
        return this.processModifier(name, ch, chs, nullIsUnset);
      case '+':
      case '-':
      case '?':
      case '#':
      case '%':
        return this.processModifier(name, ch, chs, nullIsUnset);
      case '/':
        return this.processReplace(name);
      default:
        throw new LexError(`unsupported modifier (${chs}) in substitution`);
    }
  }

  private processModifier(name: string, ch: string, chs: string, nullIsUnset: boolean): string {
    const raw = ch === '#' || ch === '%';
    let word: string;
    try {
      [word] = this.processStopOn('}', raw);
    } catch (err) {
      if (err instanceof LexError && this.peek() === EOF) throw new LexError("syntax error: missing '}'");
      throw err;
    }
    const [value, set] = this.getEnv(name);
    if (this.opts.skipUnsetEnv && !set) return `\${${name}${chs}${word}}`;
    const empty = !set || (nullIsUnset && value === '');
    switch (ch) {
      case '-':
        return empty ? word : value;
      case '+':
        return empty ? '' : word;
      case '?':
        if (!set) throw new LexError(`${name}: ${word !== '' ? word : 'is not allowed to be unset'}`);
        if (nullIsUnset && value === '') throw new LexError(`${name}: ${word !== '' ? word : 'is not allowed to be empty'}`);
        return value;
      case '%':
      case '#': {
        // # and % remove the shortest match, ## and %% the longest.
        let greedy = false;
        if (word.length > 0 && word[0] === ch) {
          greedy = true;
          word = word.slice(1);
        }
        return ch === '%' ? trimSuffix(word, value, greedy) : trimPrefix(word, value, greedy);
      }
      default:
        throw new LexError(`unsupported modifier (${chs}) in substitution`);
    }
  }

  private processReplace(name: string): string {
    const all = this.peek() === '/';
    if (all) this.next();
    let pattern: string;
    let replacement: string;
    try {
      [pattern] = this.processStopOn('/', true);
    } catch (err) {
      if (err instanceof LexError && this.peek() === EOF) throw new LexError("syntax error: missing '/' in ${}");
      throw err;
    }
    try {
      [replacement] = this.processStopOn('}', true);
    } catch (err) {
      if (err instanceof LexError && this.peek() === EOF) throw new LexError("syntax error: missing '}'");
      throw err;
    }
    const [value, set] = this.getEnv(name);
    if (this.opts.skipUnsetEnv && !set) return `\${${name}/${pattern}/${replacement}}`;
    let re: RegExp;
    try {
      re = shellPatternToRegExp(pattern, true, false, all);
    } catch (err) {
      throw new LexError(`invalid pattern (${pattern}) in substitution: ${(err as Error).message}`);
    }
    // The replacement is literal (Go's ReplaceAllString would expand $1; Docker users never rely on it).
    return value.replace(re, () => replacement);
  }

  private processName(): string {
    // A name is letters, digits and _; a leading digit reads digits only; a special parameter is one char.
    let name = '';
    while (this.peek() !== EOF) {
      let ch = this.peek();
      if (name.length === 0 && isDigit(ch)) {
        while (this.peek() !== EOF && isDigit(this.peek())) {
          ch = this.next();
          name += ch;
        }
        return name;
      }
      if (name.length === 0 && '@*#?-$!0'.includes(ch)) {
        return this.next();
      }
      if (!isLetter(ch) && !isDigit(ch) && ch !== '_') break;
      name += this.next();
    }
    return name;
  }

  private getEnv(name: string): [string, boolean] {
    const value = this.env.get(name);
    if (value !== undefined) {
      this.matched.add(name);
      return [value, true];
    }
    this.unmatched.add(name);
    return ['', false];
  }
}
