// Ports of the strconv behaviour templates depend on: float formatting
// (FormatFloat 'e'/'f'/'g'), Quote, Unquote and Go number literal parsing.

// ---------------------------------------------------------------- floats

function digitsOf(x: number, sig: number): { digits: string; exp: number } {
  const s = sig < 0 ? Math.abs(x).toExponential() : Math.abs(x).toExponential(Math.min(sig - 1, 100));
  const [m, e] = s.split('e') as [string, string];
  return { digits: m.replace('.', ''), exp: parseInt(e, 10) };
}

function expSuffix(exp: number, upper: boolean): string {
  const a = Math.abs(exp);
  return (upper ? 'E' : 'e') + (exp < 0 ? '-' : '+') + (a < 10 ? '0' + a : String(a));
}

/**
 * strconv.FormatFloat for verbs e, f, g; prec -1 means shortest.
 * Returns the unsigned magnitude; callers add the sign.
 */
export function formatFloatAbs(x: number, verb: string, prec: number): string {
  const upper = verb === 'E' || verb === 'G';
  const v = verb.toLowerCase();
  if (v === 'e') {
    const { digits, exp } = digitsOf(x, prec < 0 ? -1 : prec + 1);
    const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    return m + expSuffix(x === 0 ? 0 : exp, upper);
  }
  if (v === 'f') {
    const a = Math.abs(x);
    if (prec < 0) return placeDigits(digitsOf(a, -1));
    if (a < 1e21) return a.toFixed(prec);
    return BigInt(a).toString() + (prec > 0 ? '.' + '0'.repeat(prec) : '');
  }
  // 'g': trailing zeros are dropped; %e form when exp < -4 || exp >= eprec.
  if (x === 0) return '0';
  let { digits, exp } = digitsOf(x, prec === 0 ? 1 : prec);
  digits = digits.replace(/0+$/, '') || '0';
  const eprec = prec < 0 ? 6 : prec === 0 ? 1 : prec;
  if (exp < -4 || exp >= eprec) {
    const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    return m + expSuffix(exp, upper);
  }
  return placeDigits({ digits, exp });
}

function placeDigits({ digits, exp }: { digits: string; exp: number }): string {
  const dp = exp + 1;
  if (dp <= 0) return '0.' + '0'.repeat(-dp) + digits;
  if (dp >= digits.length) return digits + '0'.repeat(dp - digits.length);
  return digits.slice(0, dp) + '.' + digits.slice(dp);
}

/** Go's %v for a float64 (shortest representation, %e form for large/small exponents). */
export function formatGoFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  return (x < 0 || Object.is(x, -0) ? '-' : '') + formatFloatAbs(x, 'g', -1);
}

/** fmt.Sprintf("%.<prec>g", x), e.g. for go-units' HumanSizeWithPrecision. */
export function formatG(x: number, prec: number): string {
  return (x < 0 ? '-' : '') + formatFloatAbs(x, 'g', prec);
}

// ---------------------------------------------------------------- quoting

const isGoPrint = (r: string): boolean => r === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(r);
const ESC: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };

export function quoteWith(s: string, quote: string, asciiOnly: boolean): string {
  let out = quote;
  for (const r of s) {
    const cp = r.codePointAt(0)!;
    if (r === quote || r === '\\') out += '\\' + r;
    else if (asciiOnly ? cp < 0x80 && isGoPrint(r) : isGoPrint(r)) out += r;
    else if (ESC[r]) out += ESC[r];
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp >= 0xd800 && cp < 0xe000) out += '\\ufffd';
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + quote;
}

/** strconv.Quote */
export function goQuote(s: string, asciiOnly = false): string {
  return quoteWith(s, '"', asciiOnly);
}

export function parseNumber(text: string, fail: (m: string) => never): number {
  const bad = (): never => fail(`illegal number syntax: ${goQuote(text)}`);
  if (text.endsWith('i')) bad(); // complex constants are not supported
  let t = text.replace(/_/g, '');
  let sign = 1;
  if (t.startsWith('+') || t.startsWith('-')) {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  let v: number;
  if (/^0[0-7]+$/.test(t)) v = parseInt(t.slice(1), 8); // Go base-0 octal "017"
  else if (/^0[xX][0-9a-fA-F]*\.?[0-9a-fA-F]*[pP][+-]?\d+$/.test(t)) v = parseHexFloat(t);
  else if (t === '' || t === '.' || /^0[xob]$/i.test(t)) v = NaN;
  else v = Number(t);
  if (Number.isNaN(v)) bad();
  return sign * v;
}

function parseHexFloat(t: string): number {
  const m = /^0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?\d+)$/.exec(t)!;
  const mant = parseInt((m[1] || '0') + (m[2] || ''), 16) / 16 ** (m[2]?.length ?? 0);
  return mant * 2 ** Number(m[3]);
}

/** Go strconv.Unquote for "..." , `...` and '...' literals. */
export function unquote(q: string, fail: (m: string) => never): string {
  if (q.startsWith('`')) return q.slice(1, -1).replace(/\r/g, '');
  const body = q.slice(1, -1);
  const bytes: number[] = [];
  const pushStr = (s: string): void => {
    bytes.push(...Buffer.from(s, 'utf8'));
  };
  const bad = (): never => fail('invalid syntax');
  for (let i = 0; i < body.length; ) {
    const cp = body.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (ch !== '\\') {
      if (ch === q[0]) bad();
      pushStr(ch);
      i += ch.length;
      continue;
    }
    const e = body[i + 1];
    i += 2;
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
    if (e !== undefined && e in simple) pushStr(simple[e]!);
    else if (e === q[0]) pushStr(e);
    else if (e === 'x' || e === 'u' || e === 'U') {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i, i + n);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) bad();
      i += n;
      const v = parseInt(hex, 16);
      if (e === 'x') bytes.push(v);
      else if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000)) bad();
      else pushStr(String.fromCodePoint(v));
    } else if (e !== undefined && e >= '0' && e <= '7') {
      const oct = body.slice(i - 1, i + 2);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) bad();
      i += 2;
      bytes.push(parseInt(oct, 8));
    } else bad();
  }
  const s = Buffer.from(bytes).toString('utf8');
  if (q.startsWith("'") && [...s].length !== 1) bad();
  return s;
}
