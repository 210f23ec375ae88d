// A port of the parts of Go's fmt package that templates reach: default
// printing (%v), Sprint/Sprintln and Sprintf with flags/width/precision.
//
// JS values are mapped to Go kinds: undefined/null -> nil, integral numbers
// and bigints -> int, other numbers -> float64, arrays -> slices, Map and
// plain objects -> maps (printed with sorted keys), class instances -> structs.

import { formatFloatAbs, goQuote, quoteWith } from './go-template-strconv.js';

export { formatG, formatGoFloat, goQuote } from './go-template-strconv.js';

export type Kind = 'nil' | 'string' | 'int' | 'float' | 'bool' | 'slice' | 'map' | 'struct' | 'func';

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

export function kindOf(v: unknown): Kind {
  if (v === undefined || v === null) return 'nil';
  switch (typeof v) {
    case 'string': return 'string';
    case 'number': return Number.isInteger(v) ? 'int' : 'float';
    case 'bigint': return 'int';
    case 'boolean': return 'bool';
    case 'function': return 'func';
    case 'symbol': return 'string';
  }
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return 'slice';
  if (v instanceof Map || isPlainObject(v)) return 'map';
  return 'struct';
}

export function toArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : Array.from(v as ArrayLike<unknown>);
}

/** Approximates the Go type name that Go would show for a value. */
export function goTypeName(v: unknown): string {
  const k = kindOf(v);
  switch (k) {
    case 'nil': return '<nil>';
    case 'int': return 'int';
    case 'float': return 'float64';
    case 'func': return 'func()';
    case 'slice': {
      if (v instanceof Uint8Array) return '[]uint8';
      return '[]' + uniformType(toArray(v));
    }
    case 'map': return 'map[string]' + uniformType(mapEntries(v as object).map((e) => e[1]));
    case 'struct': return (v as object).constructor?.name || 'struct {}';
    default: return k;
  }
}

function uniformType(vals: unknown[]): string {
  if (vals.length === 0) return 'interface {}';
  const t = goTypeName(vals[0]);
  return vals.every((x) => goTypeName(x) === t) && t !== '<nil>' ? t : 'interface {}';
}

/** Compares strings by UTF-8 bytes, as Go does. */
export function compareGoStrings(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Map entries sorted like Go's fmtsort (numbers numerically, strings by bytes). */
export function mapEntries(v: object): [unknown, unknown][] {
  const entries: [unknown, unknown][] = v instanceof Map ? [...v.entries()] : Object.entries(v);
  return entries.sort(([a], [b]) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    return compareGoStrings(String(a), String(b));
  });
}

// ---------------------------------------------------------------- printer

interface Flags {
  plus: boolean; minus: boolean; sharp: boolean; space: boolean; zero: boolean;
  plusV: boolean; sharpV: boolean; wid: number; prec: number; // -1 = absent
}

const noFlags = (): Flags => ({
  plus: false, minus: false, sharp: false, space: false, zero: false, plusV: false, sharpV: false, wid: -1, prec: -1,
});

function pad(s: string, f: Flags, zeroOK = true): string {
  if (f.wid < 0) return s;
  const n = f.wid - [...s].length;
  if (n <= 0) return s;
  if (f.minus) return s + ' '.repeat(n);
  return (f.zero && zeroOK ? '0' : ' ').repeat(n) + s;
}

function badVerb(v: unknown, verb: string, f: Flags): string {
  if (v === undefined || v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${printArg(v, 'v', f, 0)})`;
}

/** Returns the String()/Error() text if the value behaves like a Go Stringer. */
function stringerText(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || isPlainObject(v) || v instanceof Map) return undefined;
  if (v instanceof Error) return v.message;
  if (v instanceof Date) return goTime(v);
  const ts = (v as { toString?: unknown }).toString;
  if (typeof ts === 'function' && ts !== Object.prototype.toString) return String(ts.call(v));
  return undefined;
}

/** time.Time.String() for a Date, rendered in UTC. */
function goTime(d: Date): string {
  if (Number.isNaN(d.getTime())) return 'Invalid Date';
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? '.' + frac : ''} +0000 UTC`;
}

function fmtInteger(v: number | bigint, verb: string, f: Flags): string {
  let n = typeof v === 'bigint' ? v : BigInt(v);
  const neg = n < 0n;
  if (neg) n = -n;
  const base = verb === 'b' ? 2 : verb === 'o' || verb === 'O' ? 8 : verb === 'x' || verb === 'X' ? 16 : 10;
  let digits = n.toString(base);
  if (verb === 'X') digits = digits.toUpperCase();
  let prec = -1;
  if (f.prec >= 0) {
    prec = f.prec;
    if (prec === 0 && n === 0n) return pad('', { ...f, zero: false });
  } else if (f.zero && f.wid >= 0 && !f.minus) {
    prec = f.wid - (neg || f.plus || f.space ? 1 : 0);
  }
  if (prec > digits.length) digits = '0'.repeat(prec - digits.length) + digits;
  if (f.sharp) {
    if (base === 2) digits = '0b' + digits;
    else if (base === 8 && digits[0] !== '0') digits = '0' + digits;
    else if (base === 16) digits = (verb === 'X' ? '0X' : '0x') + digits;
  }
  if (verb === 'O') digits = '0o' + digits;
  const sign = neg ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  return pad(sign + digits, f, false);
}

function fmtFloat(x: number, verb: string, f: Flags): string {
  let v = verb === 'v' ? 'g' : verb;
  if (v === 'F') v = 'f';
  if (!'eEfgG'.includes(v)) v = 'g'; // %b/%x on floats are not emulated
  const prec = f.prec >= 0 ? f.prec : v === 'g' || v === 'G' ? -1 : 6;
  if (!Number.isFinite(x)) {
    const s = Number.isNaN(x) ? (f.plus ? '+NaN' : f.space ? ' NaN' : 'NaN') : x > 0 ? (f.plus || verb === 'v' || !f.space ? '+Inf' : ' Inf') : '-Inf';
    return pad(s, f, false);
  }
  let num = formatFloatAbs(x, v, prec);
  if (f.sharp && !num.includes('.') && !/e/i.test(num)) num += '.';
  const sign = x < 0 || Object.is(x, -0) ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  if (f.zero && !f.minus && f.wid > sign.length + num.length) {
    return sign + '0'.repeat(f.wid - sign.length - num.length) + num;
  }
  return pad(sign + num, f, false);
}

function fmtString(s: string, verb: string, f: Flags): string {
  if (f.prec >= 0 && verb !== 'x' && verb !== 'X') s = [...s].slice(0, f.prec).join('');
  switch (verb) {
    case 'v':
      return f.sharpV ? pad(goQuote(s), f) : pad(s, f);
    case 's':
      return pad(s, f);
    case 'q':
      if (f.sharp && !/[`\x00-\x08\x0a-\x1f\x7f\ufeff]/.test(s)) return pad('`' + s + '`', f);
      return pad(goQuote(s, f.plus), f);
    case 'x': case 'X': {
      let bytes = [...Buffer.from(s, 'utf8')];
      if (f.prec >= 0) bytes = bytes.slice(0, f.prec);
      const px = verb === 'X' ? '0X' : '0x';
      const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).map((h) => (verb === 'X' ? h.toUpperCase() : h));
      if (f.space) return pad(hex.map((h) => (f.sharp ? px : '') + h).join(' '), f);
      return pad((f.sharp && hex.length ? px : '') + hex.join(''), f);
    }
    default:
      return badVerb(s, verb, f);
  }
}

/** fmt's printArg: formats one operand for one verb. */
function printArg(v: unknown, verb: string, f: Flags, depth: number): string {
  if (v === undefined || v === null) {
    if (depth > 0) return '<nil>';
    return verb === 'v' || verb === 'T' ? pad('<nil>', f) : badVerb(v, verb, f);
  }
  if (verb === 'T') return pad(goTypeName(v), f);
  switch (kindOf(v)) {
    case 'bool':
      return verb === 't' || verb === 'v' ? pad(String(v), f) : badVerb(v, verb, f);
    case 'int': {
      const n = v as number | bigint;
      if ('eEfFgG'.includes(verb)) return fmtFloat(Number(n), verb, f);
      if (verb === 'c') return pad(String.fromCodePoint(Number(n)), f);
      if (verb === 'q') return pad(quoteWith(String.fromCodePoint(Number(n)), "'", f.plus), f);
      if (verb === 'U') return pad('U+' + Number(n).toString(16).toUpperCase().padStart(4, '0'), f);
      return 'vdboOxX'.includes(verb) ? fmtInteger(n, verb, f) : badVerb(v, verb, f);
    }
    case 'float':
      return 'veEfFgGbxX'.includes(verb) ? fmtFloat(v as number, verb, f) : badVerb(v, verb, f);
    case 'string':
      return fmtString(String(v), verb, f);
    case 'func':
      return verb === 'v' ? pad('0x0', f) : badVerb('func', verb, f);
  }
  if (!f.sharpV && 'vsxXq'.includes(verb)) {
    const s = stringerText(v);
    if (s !== undefined) return fmtString(s, verb, f);
  }
  if (v instanceof Uint8Array && 'sqxX'.includes(verb)) return fmtString(Buffer.from(v).toString('utf8'), verb, f);
  switch (kindOf(v)) {
    case 'slice':
      return '[' + toArray(v).map((e) => printArg(e, verb, f, depth + 1)).join(' ') + ']';
    case 'map':
      return 'map[' + mapEntries(v as object).map(([k, e]) => printArg(k, verb, f, depth + 1) + ':' + printArg(e, verb, f, depth + 1)).join(' ') + ']';
    default: {
      const fields = Object.entries(v as object).filter(([, e]) => typeof e !== 'function');
      return '{' + fields.map(([k, e]) => (f.plusV ? k + ':' : '') + printArg(e, verb, f, depth + 1)).join(' ') + '}';
    }
  }
}

/** fmt.Sprint of one value with %v (how Go prints values in templates). */
export function formatValue(v: unknown): string {
  return printArg(v, 'v', noFlags(), 0);
}

/** fmt.Sprint: spaces are added between operands when neither is a string. */
export function sprint(args: unknown[]): string {
  let out = '';
  let prevString = false;
  args.forEach((a, i) => {
    const isString = typeof a === 'string';
    if (i > 0 && !isString && !prevString) out += ' ';
    out += formatValue(a);
    prevString = isString;
  });
  return out;
}

/** fmt.Sprintln: always spaces between operands, newline appended. */
export function sprintln(args: unknown[]): string {
  return args.map(formatValue).join(' ') + '\n';
}

/** fmt.Sprintf */
export function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  const end = format.length;
  let i = 0;
  const intArg = (): number | undefined => {
    const a = args[argNum];
    if (argNum < args.length && (kindOf(a) === 'int')) {
      argNum++;
      return Number(a);
    }
    if (argNum < args.length) argNum++;
    return undefined;
  };
  const argIndex = (): boolean => {
    // Handles an explicit [n] argument index; returns false if malformed.
    if (format[i] !== '[') return true;
    reordered = true;
    const close = format.indexOf(']', i);
    const n = close < 0 ? NaN : Number(format.slice(i + 1, close));
    if (!Number.isInteger(n) || n < 1 || n > args.length) {
      i = close < 0 ? end : close + 1;
      return false;
    }
    argNum = n - 1;
    i = close + 1;
    return true;
  };
  while (i < end) {
    const lasti = i;
    while (i < end && format[i] !== '%') i++;
    out += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    const f = noFlags();
    for (; i < end; i++) {
      const c = format[i];
      if (c === '#') f.sharp = true;
      else if (c === '0') f.zero = !f.minus;
      else if (c === '+') f.plus = true;
      else if (c === '-') { f.minus = true; f.zero = false; }
      else if (c === ' ') f.space = true;
      else break;
    }
    let goodIndex = argIndex();
    if (format[i] === '*') {
      i++;
      const w = intArg();
      if (w === undefined) out += '%!(BADWIDTH)';
      else if (w < 0) { f.minus = true; f.zero = false; f.wid = -w; }
      else f.wid = w;
    } else {
      const s = i;
      while (i < end && format[i]! >= '0' && format[i]! <= '9') i++;
      if (i > s) f.wid = Number(format.slice(s, i));
    }
    if (format[i] === '.') {
      i++;
      goodIndex = argIndex() && goodIndex;
      if (format[i] === '*') {
        i++;
        const p = intArg();
        if (p === undefined) out += '%!(BADPREC)';
        else f.prec = p < 0 ? -1 : p;
      } else {
        const s = i;
        while (i < end && format[i]! >= '0' && format[i]! <= '9') i++;
        f.prec = Number(format.slice(s, i) || '0');
      }
    }
    goodIndex = argIndex() && goodIndex;
    if (i >= end) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (!goodIndex) {
      out += `%!${verb}(BADINDEX)`;
      continue;
    }
    if (argNum >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    if (verb === 'v') {
      if (f.sharp) { f.sharp = false; f.sharpV = true; }
      if (f.plus) { f.plus = false; f.plusV = true; }
    }
    out += printArg(args[argNum++], verb, f, 0);
  }
  if (!reordered && argNum < args.length) {
    out += '%!(EXTRA ' + args.slice(argNum).map((a) => (a == null ? '<nil>' : `${goTypeName(a)}=${formatValue(a)}`)).join(', ') + ')';
  }
  return out;
}
