// Function tables: Go text/template builtins (text/template/funcs.go) and
// Docker's extras (docker/cli templates/templates.go), plus HeaderFunctions.
import {
  compareGoStrings, formatValue, goTypeName, kindOf, mapEntries, sprint, sprintf, sprintln, toArray,
} from './go-template-fmt.js';

/** Parameter types checked before a call, like reflect-based argument conversion in Go. */
export type ParamType = 'any' | 'string' | 'int' | 'strings';

export interface FuncDef {
  params: ParamType[];
  /** Element type of a trailing variadic parameter. */
  variadic?: ParamType;
  /** and/or evaluate their arguments lazily. */
  lazy?: 'and' | 'or';
  /** call: a function-valued first argument is passed through instead of being invoked. */
  rawFirst?: boolean;
  fn: (...args: never[]) => unknown;
}

export type FuncMap = Record<string, FuncDef>;

const def = (params: ParamType[], fn: FuncDef['fn'], variadic?: ParamType): FuncDef => ({ params, fn, variadic });

/** Go's truth() for if/with/and/or/not. */
export function truth(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'nil': return false;
    case 'string': return (v as string).length > 0;
    case 'int': case 'float': return typeof v === 'bigint' ? v !== 0n : v !== 0;
    case 'bool': return v as boolean;
    case 'slice': return toArray(v).length > 0;
    case 'map': return v instanceof Map ? v.size > 0 : Object.keys(v as object).length > 0;
    default: return true;
  }
}

const byteLen = (s: string): number => Buffer.byteLength(s, 'utf8');

function toIndex(v: unknown): number {
  if (v === null || v === undefined) throw new Error('cannot index slice/array with nil');
  if (kindOf(v) !== 'int') throw new Error(`cannot index slice/array with type ${goTypeName(v)}`);
  return Number(v);
}

function length(v: unknown): number {
  switch (kindOf(v)) {
    case 'nil': throw new Error('len of nil pointer');
    case 'string': return byteLen(v as string);
    case 'slice': return toArray(v).length;
    case 'map': return v instanceof Map ? v.size : Object.keys(v as object).length;
    default: throw new Error(`len of type ${goTypeName(v)}`);
  }
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  let cur = item;
  for (const ix of indexes) {
    switch (kindOf(cur)) {
      case 'nil': throw new Error('index of untyped nil');
      case 'string': {
        const bytes = Buffer.from(cur as string, 'utf8');
        const i = toIndex(ix);
        if (i < 0 || i >= bytes.length) throw new Error(`index out of range: ${i}`);
        cur = bytes[i];
        break;
      }
      case 'slice': {
        const arr = toArray(cur);
        const i = toIndex(ix);
        if (i < 0 || i >= arr.length) throw new Error(`index out of range: ${i}`);
        cur = arr[i];
        break;
      }
      case 'map':
        if (cur instanceof Map) cur = cur.get(ix);
        else {
          if (typeof ix !== 'string') throw new Error(`value has type ${goTypeName(ix)}; should be string`);
          const key = ix;
          cur = Object.prototype.hasOwnProperty.call(cur, key) ? (cur as Record<string, unknown>)[key] : undefined;
        }
        break;
      default:
        throw new Error(`can't index item of type ${goTypeName(cur)}`);
    }
  }
  return cur;
}

function slice(item: unknown, ...idx: unknown[]): unknown {
  if (idx.length > 3) throw new Error(`too many slice indexes: ${idx.length}`);
  const k = kindOf(item);
  if (k === 'nil') throw new Error('slice of untyped nil');
  if (k !== 'string' && k !== 'slice') throw new Error(`can't slice item of type ${goTypeName(item)}`);
  if (k === 'string' && idx.length === 3) throw new Error('cannot 3-index slice a string');
  const src = k === 'string' ? Buffer.from(item as string, 'utf8') : toArray(item);
  const cap = src.length;
  const ix = [0, src.length];
  idx.forEach((v, i) => {
    const n = toIndex(v);
    if (n < 0 || n > cap) throw new Error(`index out of range: ${n}`);
    ix[i] = n;
  });
  if (ix[0]! > ix[1]!) throw new Error(`invalid slice index: ${ix[0]} > ${ix[1]}`);
  if (idx.length === 3 && ix[1]! > ix[2]!) throw new Error(`invalid slice index: ${ix[1]} > ${ix[2]}`);
  return k === 'string' ? (src as Buffer).subarray(ix[0], ix[1]).toString('utf8') : (src as unknown[]).slice(ix[0], ix[1]);
}

type Basic = 'bool' | 'int' | 'string' | 'nil' | 'other';
const basicKind = (v: unknown): Basic => {
  const k = kindOf(v);
  if (k === 'float') return 'int'; // JS numbers are one kind
  return k === 'bool' || k === 'int' || k === 'string' || k === 'nil' ? k : 'other';
};

function eq(arg1: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) throw new Error('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (const arg of rest) {
    const k2 = basicKind(arg);
    if (k1 !== k2) {
      if (k1 !== 'nil' && k2 !== 'nil') throw new Error('incompatible types for comparison');
      continue;
    }
    if (k1 === 'other') {
      throw new Error(`non-comparable type ${formatValue(arg1)}: ${goTypeName(arg1)}`);
    }
    // eslint-disable-next-line eqeqeq -- number and bigint ints compare by value
    if (k1 === 'nil' || arg1 == arg) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'bool' || ka === 'nil' || ka === 'other' || kb === 'bool' || kb === 'nil' || kb === 'other') {
    throw new Error('invalid type for comparison');
  }
  if (ka !== kb) throw new Error('incompatible types for comparison');
  if (ka === 'string') return compareGoStrings(a as string, b as string) < 0;
  return (a as number) < (b as number);
}

/** fmt.Sprint of args unless it is a single string (text/template evalArgs). */
function evalArgs(args: unknown[]): string {
  return args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args);
}

export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

export function jsEscape(s: string): string {
  const special: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D' };
  let out = '';
  for (const r of s) {
    const cp = r.codePointAt(0)!;
    if (special[r]) out += special[r];
    else if (cp < 0x20) out += '\\u00' + cp.toString(16).toUpperCase().padStart(2, '0');
    else if (cp < 0x80 || r === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(r)) out += r;
    else out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** url.QueryEscape */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/**
 * Entries of a class instance the way docker/cli's formatter.MarshalJSON sees a
 * context: exported (upper-case) own fields, getters and zero-argument
 * methods, except FullHeader, with keys sorted.
 */
function marshalEntries(obj: object): [unknown, unknown][] {
  const out = new Map<string, unknown>(Object.entries(obj).filter(([k]) => /^\p{Lu}/u.test(k)));
  for (let p = Object.getPrototypeOf(obj); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) {
      if (out.has(name) || !/^\p{Lu}/u.test(name) || name === 'FullHeader') continue;
      if (d.get) out.set(name, d.get.call(obj));
      else if (typeof d.value === 'function' && d.value.length === 0) out.set(name, d.value.call(obj));
    }
  }
  return mapEntries(out);
}

/** JSON like Go's json.Encoder with SetEscapeHTML(false); Map keys are sorted like Go maps. */
export function goJSON(v: unknown): string {
  const str = (s: string): string =>
    '"' + s.replace(/[\u0000-\u001f"\\\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => {
      const named: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
      if (named[c]) return named[c];
      if (c.length === 1 && c >= '\ud800' && c <= '\udfff') return '\\ufffd';
      return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
    }) + '"';
  const enc = (x: unknown): string | undefined => {
    if (x === null || x === undefined) return 'null';
    if (typeof x === 'object' && typeof (x as { toJSON?: unknown }).toJSON === 'function') {
      x = (x as { toJSON: () => unknown }).toJSON();
      if (x === null || x === undefined) return 'null';
    }
    switch (typeof x) {
      case 'string': return str(x);
      case 'boolean': return String(x);
      case 'bigint': return x.toString();
      case 'number':
        if (!Number.isFinite(x)) throw new Error(`json: unsupported value: ${formatValue(x)}`);
        return JSON.stringify(x);
      case 'function': case 'symbol': return undefined;
    }
    if (x instanceof Uint8Array) return str(Buffer.from(x).toString('base64'));
    if (Array.isArray(x)) return '[' + x.map((e) => enc(e) ?? 'null').join(',') + ']';
    const entries =
      x instanceof Map ? mapEntries(x) : kindOf(x) === 'struct' ? marshalEntries(x as object) : Object.entries(x as object);
    const parts: string[] = [];
    for (const [k, e] of entries) {
      const s = enc(e);
      if (s !== undefined) parts.push(str(String(k)) + ':' + s);
    }
    return '{' + parts.join(',') + '}';
  };
  try {
    return enc(v) ?? '';
  } catch {
    return ''; // Docker ignores Encode errors and prints nothing
  }
}

/** Maps each rune independently, keeping it when the mapping is not a single rune (Go's unicode.ToX). */
function mapRunes(s: string, f: (r: string) => string): string {
  let out = '';
  for (const r of s) {
    const m = f(r);
    out += [...m].length === 1 ? m : r;
  }
  return out;
}

/** strings.Title: upper-cases letters that follow a separator. */
export function goTitle(s: string): string {
  let prev = ' ';
  return mapRunes(s, (r) => {
    const sep = prev.codePointAt(0)! < 0x80 ? !/[0-9A-Za-z_]/.test(prev) : !/[\p{L}\p{Nd}]/u.test(prev) && /\s/u.test(prev);
    prev = r;
    return sep ? r.toUpperCase() : r;
  });
}

function goSplit(s: string, sep: string): string[] {
  return sep === '' ? [...s] : s.split(sep);
}

/** truncate(s, n): byte-based like Go, backing off to a whole character. */
function truncate(s: string, n: number): string {
  const b = Buffer.from(s, 'utf8');
  if (b.length < n) return s;
  if (n < 0) throw new Error(`slice bounds out of range [:${n}]`);
  let end = n;
  while (end > 0 && end < b.length && (b[end]! & 0xc0) === 0x80) end--;
  return b.subarray(0, end).toString('utf8');
}

export const builtinFuncs: FuncMap = {
  and: { params: ['any'], variadic: 'any', lazy: 'and', fn: () => undefined },
  or: { params: ['any'], variadic: 'any', lazy: 'or', fn: () => undefined },
  not: def(['any'], ((v: unknown) => !truth(v)) as FuncDef['fn']),
  len: def(['any'], length as FuncDef['fn']),
  index: def(['any'], index as FuncDef['fn'], 'any'),
  slice: def(['any'], slice as FuncDef['fn'], 'any'),
  print: def([], ((...a: unknown[]) => sprint(a)) as FuncDef['fn'], 'any'),
  printf: def(['string'], ((f: string, ...a: unknown[]) => sprintf(f, a)) as FuncDef['fn'], 'any'),
  println: def([], ((...a: unknown[]) => sprintln(a)) as FuncDef['fn'], 'any'),
  eq: def(['any'], eq as FuncDef['fn'], 'any'),
  ne: def(['any', 'any'], ((a: unknown, b: unknown) => !eq(a, b)) as FuncDef['fn']),
  lt: def(['any', 'any'], lt as FuncDef['fn']),
  le: def(['any', 'any'], ((a: unknown, b: unknown) => lt(a, b) || eq(a, b)) as FuncDef['fn']),
  gt: def(['any', 'any'], ((a: unknown, b: unknown) => !lt(a, b) && !eq(a, b)) as FuncDef['fn']),
  ge: def(['any', 'any'], ((a: unknown, b: unknown) => !lt(a, b)) as FuncDef['fn']),
  html: def([], ((...a: unknown[]) => htmlEscape(evalArgs(a))) as FuncDef['fn'], 'any'),
  js: def([], ((...a: unknown[]) => jsEscape(evalArgs(a))) as FuncDef['fn'], 'any'),
  urlquery: def([], ((...a: unknown[]) => queryEscape(evalArgs(a))) as FuncDef['fn'], 'any'),
  call: {
    ...def(['any'], ((fn: unknown, ...a: unknown[]) => {
      if (typeof fn !== 'function') throw new Error(`non-function of type ${goTypeName(fn)}`);
      return (fn as (...x: unknown[]) => unknown)(...a);
    }) as FuncDef['fn'], 'any'),
    rawFirst: true,
  },
};

export const dockerFuncs: FuncMap = {
  json: def(['any'], goJSON as FuncDef['fn']),
  split: def(['string', 'string'], goSplit as FuncDef['fn']),
  join: def(['strings', 'string'], ((a: string[], sep: string) => a.join(sep)) as FuncDef['fn']),
  title: def(['string'], goTitle as FuncDef['fn']),
  lower: def(['string'], ((s: string) => mapRunes(s, (r) => r.toLowerCase())) as FuncDef['fn']),
  upper: def(['string'], ((s: string) => mapRunes(s, (r) => r.toUpperCase())) as FuncDef['fn']),
  pad: def(['string', 'int', 'int'], ((s: string, l: number, r: number) =>
    s === '' ? s : ' '.repeat(Math.max(0, l)) + s + ' '.repeat(Math.max(0, r))) as FuncDef['fn']),
  truncate: def(['string', 'int'], truncate as FuncDef['fn']),
};

/** Docker's HeaderFunctions: keep the header text intact (pad is deliberately not overridden). */
export const headerFuncs: FuncMap = {
  json: def(['string'], ((v: string) => v) as FuncDef['fn']),
  split: def(['string', 'string'], ((v: string) => v) as FuncDef['fn']),
  join: def(['string', 'string'], ((v: string) => v) as FuncDef['fn']),
  title: def(['string'], ((v: string) => v) as FuncDef['fn']),
  lower: def(['string'], ((v: string) => v) as FuncDef['fn']),
  upper: def(['string'], ((v: string) => v) as FuncDef['fn']),
  truncate: def(['string', 'int'], ((v: string) => v) as FuncDef['fn']),
};
