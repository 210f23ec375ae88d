// Lexer for Go text/template, following the state machine of Go's
// text/template/parse/lex.go so that token boundaries and error messages match.

import { goQuote } from './go-template-strconv.js';

export type ItemType =
  | 'error' | 'bool' | 'char' | 'charConstant' | 'comment' | 'assign' | 'declare' | 'eof'
  | 'field' | 'identifier' | 'leftDelim' | 'leftParen' | 'number' | 'pipe' | 'rawString'
  | 'rightDelim' | 'rightParen' | 'space' | 'string' | 'text' | 'variable'
  // keywords
  | 'block' | 'break' | 'continue' | 'dot' | 'define' | 'else' | 'end' | 'if' | 'nil'
  | 'range' | 'template' | 'with';

export interface Item {
  typ: ItemType;
  val: string;
  pos: number;
  line: number;
}

const KEYWORDS: Record<string, ItemType> = {
  '.': 'dot', block: 'block', break: 'break', continue: 'continue', define: 'define',
  else: 'else', end: 'end', if: 'if', range: 'range', nil: 'nil', template: 'template', with: 'with',
};

export function isKeyword(t: ItemType): boolean {
  return Object.values(KEYWORDS).includes(t);
}

/** Go's item.String(), used in "unexpected X in Y" parse errors. */
export function itemString(i: Item): string {
  if (i.typ === 'eof') return 'EOF';
  if (i.typ === 'error') return i.val;
  if (isKeyword(i.typ)) return `<${i.val}>`;
  const chars = [...i.val];
  if (chars.length > 10) return goQuote(chars.slice(0, 10).join('')) + '...';
  return goQuote(i.val);
}


/** %#U formatting of a rune, e.g. U+007D '}'. */
export function runeU(r: string): string {
  const cp = r.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${r}'`;
}

const LEFT = '{{';
const RIGHT = '}}';
const EOF = '';

const isSpace = (r: string): boolean => r === ' ' || r === '\t' || r === '\r' || r === '\n';
const isAlphaNumeric = (r: string): boolean => r === '_' || /^[\p{L}\p{Nd}]$/u.test(r);
const hasLeftTrimMarker = (s: string): boolean => s.length >= 2 && s[0] === '-' && isSpace(s[1]!);
const hasRightTrimMarker = (s: string): boolean => s.length >= 2 && isSpace(s[0]!) && s[1] === '-';
const leftTrimLength = (s: string): number => s.length - s.replace(/^[ \t\r\n]+/, '').length;
const rightTrimLength = (s: string): number => s.length - s.replace(/[ \t\r\n]+$/, '').length;

type StateFn = (() => StateFn) | null;

/** Tokenizes the whole input; stops after the first error item. */
export function lex(input: string, opts: { breakOK: boolean; continueOK: boolean }): Item[] {
  const items: Item[] = [];
  let start = 0;
  let pos = 0;
  let parenDepth = 0;
  const lineAt = lineIndex(input);

  const next = (): string => {
    if (pos >= input.length) return EOF;
    const r = String.fromCodePoint(input.codePointAt(pos)!);
    pos += r.length;
    return r;
  };
  const backup = (r: string): void => {
    pos -= r.length;
  };
  const peek = (): string => {
    const r = next();
    backup(r);
    return r;
  };
  const emit = (typ: ItemType): void => {
    items.push({ typ, val: input.slice(start, pos), pos: start, line: lineAt(start) });
    start = pos;
  };
  const ignore = (): void => {
    start = pos;
  };
  const skipTo = (p: number): void => {
    pos = p;
  };
  const errorf = (msg: string): StateFn => {
    items.push({ typ: 'error', val: msg, pos: start, line: lineAt(start) });
    return null;
  };
  const accept = (valid: string): boolean => {
    const r = next();
    if (r !== EOF && valid.includes(r)) return true;
    backup(r);
    return false;
  };
  const acceptRun = (valid: string): void => {
    for (;;) {
      const r = next();
      if (r === EOF || !valid.includes(r)) {
        backup(r);
        return;
      }
    }
  };
  const atTerminator = (): boolean => {
    const r = peek();
    if (isSpace(r)) return true;
    if (r === EOF || '.,|:)('.includes(r)) return true;
    return input.startsWith(RIGHT, pos);
  };
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (hasRightTrimMarker(input.slice(pos, pos + 2)) && input.startsWith(RIGHT, pos + 2)) {
      return { delim: true, trim: true };
    }
    return { delim: input.startsWith(RIGHT, pos), trim: false };
  };

  const lexText = (): StateFn => {
    const x = input.indexOf(LEFT, pos);
    if (x >= 0) {
      if (x > start) {
        pos = x;
        let trimLen = 0;
        if (hasLeftTrimMarker(input.slice(x + LEFT.length, x + LEFT.length + 2))) {
          trimLen = rightTrimLength(input.slice(start, pos));
        }
        pos -= trimLen;
        if (pos > start) emit('text');
        pos += trimLen;
        ignore();
      }
      return lexLeftDelim;
    }
    pos = input.length;
    if (pos > start) emit('text');
    items.push({ typ: 'eof', val: '', pos, line: lineAt(pos) });
    return null;
  };

  const lexLeftDelim = (): StateFn => {
    pos += LEFT.length;
    const trim = hasLeftTrimMarker(input.slice(pos, pos + 2));
    const afterMarker = trim ? 2 : 0;
    if (input.startsWith('/*', pos + afterMarker)) {
      skipTo(pos + afterMarker);
      ignore();
      return lexComment;
    }
    emit('leftDelim');
    skipTo(pos + afterMarker);
    ignore();
    parenDepth = 0;
    return lexInsideAction;
  };

  const lexComment = (): StateFn => {
    pos += 2;
    const x = input.indexOf('*/', pos);
    if (x < 0) return errorf('unclosed comment');
    skipTo(x + 2);
    const { delim, trim } = atRightDelim();
    if (!delim) return errorf('comment ends before closing delimiter');
    if (trim) skipTo(pos + 2);
    skipTo(pos + RIGHT.length);
    if (trim) skipTo(pos + leftTrimLength(input.slice(pos)));
    ignore();
    return lexText;
  };

  const lexRightDelim = (): StateFn => {
    const { trim } = atRightDelim();
    if (trim) {
      skipTo(pos + 2);
      ignore();
    }
    skipTo(pos + RIGHT.length);
    emit('rightDelim');
    if (trim) {
      skipTo(pos + leftTrimLength(input.slice(pos)));
      ignore();
    }
    return lexText;
  };

  const lexInsideAction = (): StateFn => {
    const { delim } = atRightDelim();
    if (delim) {
      if (parenDepth === 0) return lexRightDelim;
      return errorf('unclosed left paren');
    }
    const r = next();
    if (r === EOF) return errorf('unclosed action');
    if (isSpace(r)) {
      backup(r); // put space back in case we have " -}}"
      return lexSpace;
    }
    switch (r) {
      case '=':
        emit('assign');
        return lexInsideAction;
      case ':':
        if (next() !== '=') return errorf('expected :=');
        emit('declare');
        return lexInsideAction;
      case '|':
        emit('pipe');
        return lexInsideAction;
      case '"':
        return lexQuote;
      case '`':
        return lexRawQuote;
      case '$':
        return () => lexFieldOrVariable('variable');
      case "'":
        return lexChar;
      case '(':
        emit('leftParen');
        parenDepth++;
        return lexInsideAction;
      case ')':
        emit('rightParen');
        parenDepth--;
        if (parenDepth < 0) return errorf(`unexpected right paren ${runeU(r)}`);
        return lexInsideAction;
    }
    if (r === '.') {
      // ".field" unless a digit follows, in which case it is a number like .5
      const c = input[pos];
      if (pos < input.length && !(c! >= '0' && c! <= '9')) return () => lexFieldOrVariable('field');
    }
    if (r === '.' || r === '+' || r === '-' || (r >= '0' && r <= '9')) {
      backup(r);
      return lexNumber;
    }
    if (isAlphaNumeric(r)) {
      backup(r);
      return lexIdentifier;
    }
    const cp = r.codePointAt(0)!;
    if (cp < 0x80 && cp >= 0x20 && cp !== 0x7f) {
      emit('char');
      return lexInsideAction;
    }
    return errorf(`unrecognized character in action: ${runeU(r)}`);
  };

  const lexSpace = (): StateFn => {
    let numSpaces = 0;
    while (isSpace(peek())) {
      next();
      numSpaces++;
    }
    // A trim-marked closing delimiter has a minus after a space.
    if (hasRightTrimMarker(input.slice(pos - 1, pos + 1)) && input.startsWith(RIGHT, pos + 1)) {
      backup(input[pos - 1]!);
      if (numSpaces === 1) return lexInsideAction;
    }
    emit('space');
    return lexInsideAction;
  };

  const lexIdentifier = (): StateFn => {
    for (;;) {
      const r = next();
      if (r !== EOF && isAlphaNumeric(r)) continue;
      backup(r);
      const word = input.slice(start, pos);
      if (!atTerminator()) return errorf(`bad character ${runeU(r)}`);
      const kw = KEYWORDS[word];
      if (kw && kw !== 'dot') {
        if ((kw === 'break' && !opts.breakOK) || (kw === 'continue' && !opts.continueOK)) emit('identifier');
        else emit(kw);
      } else if (word === 'true' || word === 'false') emit('bool');
      else emit('identifier');
      return lexInsideAction;
    }
  };

  const lexFieldOrVariable = (typ: 'field' | 'variable'): StateFn => {
    if (atTerminator()) {
      emit(typ === 'variable' ? 'variable' : 'dot');
      return lexInsideAction;
    }
    let r: string;
    for (;;) {
      r = next();
      if (r === EOF || !isAlphaNumeric(r)) {
        backup(r);
        break;
      }
    }
    if (!atTerminator()) return errorf(`bad character ${runeU(r)}`);
    emit(typ);
    return lexInsideAction;
  };

  const lexChar = (): StateFn => {
    for (;;) {
      let r = next();
      if (r === '\\') {
        r = next();
        if (r !== EOF && r !== '\n') continue;
      }
      if (r === EOF || r === '\n') return errorf('unterminated character constant');
      if (r === "'") break;
    }
    emit('charConstant');
    return lexInsideAction;
  };

  const lexNumber = (): StateFn => {
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    if (isAlphaNumeric(peek())) {
      next();
      return errorf(`bad number syntax: ${goQuote(input.slice(start, pos))}`);
    }
    emit('number');
    return lexInsideAction;
  };

  const lexQuote = (): StateFn => {
    for (;;) {
      let r = next();
      if (r === '\\') {
        r = next();
        if (r !== EOF && r !== '\n') continue;
      }
      if (r === EOF || r === '\n') return errorf('unterminated quoted string');
      if (r === '"') break;
    }
    emit('string');
    return lexInsideAction;
  };

  const lexRawQuote = (): StateFn => {
    const x = input.indexOf('`', pos);
    if (x < 0) return errorf('unterminated raw quoted string');
    pos = x + 1;
    emit('rawString');
    return lexInsideAction;
  };

  let state: StateFn = lexText;
  while (state) state = state();
  return items;
}

/** Returns a function mapping a string offset to its 1-based line number. */
export function lineIndex(input: string): (pos: number) => number {
  const starts: number[] = [];
  for (let i = input.indexOf('\n'); i >= 0; i = input.indexOf('\n', i + 1)) starts.push(i);
  return (pos: number): number => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}
