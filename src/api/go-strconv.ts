// Go's strconv.Quote and time.ParseDuration, with Go's error texts: the CLI's flags and the Dockerfile
// builder both report values the way Docker's Go code does.

/** A value Go would refuse; the message is Go's error text. */
export class GoValueError extends Error {
  override name = 'GoValueError';
}

const GO_ESCAPES: Record<string, string> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\',
};

function escapeChar(ch: string, quote: string): string {
  if (ch === quote) return '\\' + ch;
  const named = GO_ESCAPES[ch];
  if (named !== undefined) return named;
  const cp = ch.codePointAt(0) ?? 0;
  if (cp < 0x20 || cp === 0x7f) return '\\x' + cp.toString(16).padStart(2, '0');
  if (cp >= 0x80 && cp < 0xa0) return '\\u' + cp.toString(16).padStart(4, '0');
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd';
  return ch;
}

/** Go's strconv.Quote / fmt %q for strings. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) out += escapeChar(ch, '"');
  return out + '"';
}

/** Go's strconv.QuoteRune / fmt %q for a single character. */
export function goQuoteRune(ch: string): string {
  return "'" + escapeChar(ch, "'") + "'";
}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5
  'μs': 1_000n, // U+03BC
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_INT64 = (1n << 63n) - 1n;
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** Parses "1h30m", "1.5s", "-2m", "0"; returns nanoseconds (a Number: exact below ~104 days). */
export function parseGoDuration(input: string): number {
  const invalid = () => new GoValueError(`time: invalid duration ${goQuote(input)}`);
  let s = input;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || isDigit(s[0]))) throw invalid();
    let i = 0;
    while (isDigit(s[i])) i++;
    const intPart = s.slice(0, i);
    s = s.slice(i);
    let frac = '';
    if (s[0] === '.') {
      s = s.slice(1);
      let j = 0;
      while (isDigit(s[j])) j++;
      frac = s.slice(0, j);
      s = s.slice(j);
      if (intPart === '' && frac === '') throw invalid();
    } else if (intPart === '') {
      throw invalid();
    }
    let u = 0;
    while (u < s.length && s[u] !== '.' && !isDigit(s[u])) u++;
    if (u === 0) throw new GoValueError(`time: missing unit in duration ${goQuote(input)}`);
    const unitName = s.slice(0, u);
    s = s.slice(u);
    const unit = UNITS[unitName];
    if (unit === undefined) {
      throw new GoValueError(`time: unknown unit ${goQuote(unitName)} in duration ${goQuote(input)}`);
    }
    const whole = BigInt(intPart === '' ? '0' : intPart);
    if (whole > MAX_INT64 / unit) throw invalid();
    let value = whole * unit;
    if (frac !== '') {
      // Go keeps fractional precision as a float scaled by the unit.
      value += BigInt(Math.floor(Number(`0.${frac}`) * Number(unit)));
    }
    total += value;
    if (total > MAX_INT64) throw invalid();
  }
  return Number(neg ? -total : total);
}
