// Go-compatible value parsing and formatting for CLI flags: the exact
// accepted syntax and error texts of Go's strconv / time packages and of
// docker/go-units, so flag errors read exactly like the docker CLI's.

import { goQuote, goQuoteRune, parseGoDuration as parseGoDurationNs } from '../api/go-strconv.js';

export { goQuote, goQuoteRune };

/** Thrown by the value parsers; the message is the Go error text. */
export class ValueError extends Error {
  override name = 'ValueError';
}

const syntaxError = (fn: string, s: string) => new ValueError(`strconv.${fn}: parsing ${goQuote(s)}: invalid syntax`);
const rangeError = (fn: string, s: string) => new ValueError(`strconv.${fn}: parsing ${goQuote(s)}: value out of range`);

/** strconv.ParseBool. */
export function parseGoBool(s: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  throw syntaxError('ParseBool', s);
}

const DIGITS: Record<number, RegExp> = { 2: /^[01]$/, 8: /^[0-7]$/, 10: /^[0-9]$/, 16: /^[0-9a-fA-F]$/ };

/** Parses an unsigned Go integer literal (base 0 rules, underscores allowed). */
function parseMagnitude(s: string): bigint | undefined {
  let base = 10;
  let body = s;
  let prefixed = false;
  if (s.length >= 2 && s[0] === '0') {
    const p = s[1].toLowerCase();
    if (p === 'x' || p === 'o' || p === 'b') {
      base = p === 'x' ? 16 : p === 'o' ? 8 : 2;
      body = s.slice(2);
      prefixed = true;
    } else {
      base = 8;
      body = s.slice(1);
      prefixed = true; // the leading 0 counts as a digit before an underscore
    }
  }
  if (body === '') return undefined;
  let value = 0n;
  let prev: 'start' | 'digit' | '_' = prefixed ? 'digit' : 'start';
  for (const ch of body) {
    if (ch === '_') {
      if (prev !== 'digit') return undefined;
      prev = '_';
      continue;
    }
    if (!DIGITS[base].test(ch)) return undefined;
    value = value * BigInt(base) + BigInt(parseInt(ch, 16));
    prev = 'digit';
  }
  return prev === '_' ? undefined : value;
}

/** strconv.ParseInt(s, 0, bits). Values beyond 2^53 lose precision. */
export function parseGoInt(s: string, bits = 64): number {
  let neg = false;
  let body = s;
  if (body[0] === '+' || body[0] === '-') {
    neg = body[0] === '-';
    body = body.slice(1);
  }
  const mag = body === '' ? undefined : parseMagnitude(body);
  if (mag === undefined) throw syntaxError('ParseInt', s);
  const limit = 1n << BigInt(bits - 1);
  if (neg ? mag > limit : mag >= limit) throw rangeError('ParseInt', s);
  return Number(neg ? -mag : mag);
}

/** strconv.ParseUint(s, 0, bits). */
export function parseGoUint(s: string, bits = 64): number {
  const mag = s === '' ? undefined : parseMagnitude(s);
  if (mag === undefined) throw syntaxError('ParseUint', s);
  if (mag >= 1n << BigInt(bits)) throw rangeError('ParseUint', s);
  return Number(mag);
}

const DEC_FLOAT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const HEX_FLOAT = /^[+-]?0[xX](?:_?[0-9a-fA-F])*(?:\.(?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?)?[pP][+-]?\d+$/;

/** strconv.ParseFloat(s, 64). */
export function parseGoFloat(s: string): number {
  const special = s.replace(/^[+-]/, '').toLowerCase();
  if (special === 'inf' || special === 'infinity') return s[0] === '-' ? -Infinity : Infinity;
  if (special === 'nan') return NaN;
  let v: number;
  if (DEC_FLOAT.test(s)) {
    v = Number(s.replace(/_/g, ''));
  } else if (HEX_FLOAT.test(s)) {
    const m = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?\d+)$/.exec(s.replace(/_/g, ''));
    if (!m || (m[2] === '' && !m[3])) throw syntaxError('ParseFloat', s);
    const frac = m[3] ?? '';
    const mant = parseInt((m[2] + frac) || '0', 16);
    v = mant * 2 ** (Number(m[4]) - 4 * frac.length) * (m[1] === '-' ? -1 : 1);
  } else {
    throw syntaxError('ParseFloat', s);
  }
  if (!Number.isFinite(v)) throw rangeError('ParseFloat', s);
  return v;
}

/**
 * Go's time.ParseDuration ("1h30m", "1.5s", "500ms", "-2m", "0"), returning
 * milliseconds (fractional below 1ms). Throws ValueError with Go's message.
 */
export function parseGoDuration(input: string): number {
  try {
    return parseGoDurationNs(input) / 1e6;
  } catch (err) {
    throw new ValueError((err as Error).message);
  }
}

function trimFloat(n: number, maxDecimals: number): string {
  return n.toFixed(maxDecimals).replace(/\.?0+$/, '');
}

/** Go's time.Duration.String() for a duration given in milliseconds. */
export function formatGoDuration(ms: number): string {
  let ns = Math.round(ms * 1e6);
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  ns = Math.abs(ns);
  if (ns < 1e3) return `${sign}${ns}ns`;
  if (ns < 1e6) return `${sign}${trimFloat(ns / 1e3, 3)}µs`;
  if (ns < 1e9) return `${sign}${trimFloat(ns / 1e6, 6)}ms`;
  const h = Math.floor(ns / 3.6e12);
  const m = Math.floor((ns % 3.6e12) / 6e10);
  const sec = trimFloat((ns % 6e10) / 1e9, 9);
  if (h > 0) return `${sign}${h}h${m}m${sec}s`;
  if (m > 0) return `${sign}${m}m${sec}s`;
  return `${sign}${sec}s`;
}

const BINARY_UNITS: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * docker/go-units RAMInBytes ("512m", "1.5g", "10 MiB", "1024"): binary units,
 * case-insensitive, optional "b"/"ib". Used for `bytes` flags such as --memory.
 */
export function parseRamInBytes(s: string): number {
  let sep = -1;
  for (let i = s.length - 1; i >= 0; i--) {
    if ('0123456789. '.includes(s[i])) {
      sep = i;
      break;
    }
  }
  if (sep === -1) throw new ValueError(`invalid size: '${s}'`);
  const num = s[sep] === ' ' ? s.slice(0, sep) : s.slice(0, sep + 1);
  let sfx = s.slice(sep + 1);
  let size = parseGoFloat(num);
  if (size < 0) throw new ValueError(`invalid size: '${s}'`);
  if (sfx !== '') {
    const bad = () => new ValueError(`invalid suffix: '${sfx}'`);
    if (sfx.length > 3) throw bad();
    sfx = sfx.toLowerCase();
    if (sfx[0] === 'b') {
      if (sfx.length > 1) throw bad();
    } else {
      const mul = BINARY_UNITS[sfx[0]];
      if (mul === undefined) throw bad();
      if ((sfx.length === 2 && sfx[1] !== 'b') || (sfx.length === 3 && sfx.slice(1) !== 'ib')) throw bad();
      size *= mul;
    }
  }
  return Math.trunc(size);
}

/** docker/go-units BytesSize ("64MiB", "1.5GiB"): %.4g with binary units. */
export function formatBytesSize(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];
  let i = 0;
  let size = n;
  while (size >= 1024 && i < units.length - 1) {
    size /= 1024;
    i++;
  }
  return `${Number(size.toPrecision(4))}${units[i]}`;
}
