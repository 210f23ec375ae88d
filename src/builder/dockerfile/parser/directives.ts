// Parser directives (`# escape=\``, `# syntax=...`): only in comment lines at the very top, before any
// instruction, blank line or other comment; each at most once. Unknown directive names end the search.
import type { Directive } from './node.js';

const VALID = new Set(['escape', 'syntax']);

// Go RE2's \s is [\t\n\f\r ] (no \v); `.+?` then trailing spaces are trimmed.
const RE_DIRECTIVE = /^#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*$/;

export class DirectiveParser {
  private line = 0;
  private done = false;
  private readonly seen = new Set<string>();

  /** Looks at one line (newline and leading space already trimmed); returns the directive it holds, if any. */
  parseLine(text: string): Directive | undefined {
    this.line++;
    if (this.done) return undefined;
    const m = RE_DIRECTIVE.exec(text);
    if (!m) {
      this.done = true;
      return undefined;
    }
    const name = m[1].toLowerCase();
    if (!VALID.has(name)) {
      this.done = true;
      return undefined;
    }
    if (this.seen.has(name)) throw new Error(`only one ${name} parser directive can be used`);
    this.seen.add(name);
    return { name, value: m[2], line: this.line };
  }
}
