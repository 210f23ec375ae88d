// Filter helpers shared by image list and prune, with Docker's semantics and errors.
import type { Filters, Labels } from '../api/types.js';
import { invalidArgument } from '../errdefs/errors.js';
import { familiarName, familiarRepository, parseReference } from '../oci/reference.js';

/** Docker's GetBoolOrDefault: "true"/"1" or "false"/"0"; both or neither is an error. */
export function boolFilter(filters: Filters, key: string, fallback: boolean): boolean {
  const values = filters[key];
  if (values === undefined) return fallback;
  const isTrue = values.some((v) => v.toLowerCase() === 'true' || v === '1');
  const isFalse = values.some((v) => v.toLowerCase() === 'false' || v === '0');
  if (isTrue === isFalse) throw invalidArgument(`invalid filter '${key}${values.length ? `=${values.join(',')}` : ''}'`);
  return isTrue;
}

/** Docker's MatchKVList: every `key` or `key=value` must match. */
export function labelsMatch(labels: Labels | null | undefined, wanted: string[]): boolean {
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) return labels != null && Object.hasOwn(labels, w);
    return labels != null && labels[w.slice(0, eq)] === w.slice(eq + 1);
  });
}

/** reference.FamiliarMatch: the pattern against `busybox:latest`, then against `busybox`. */
export function referenceMatches(pattern: string, fullRef: string): boolean {
  const ref = parseReference(fullRef);
  const re = globToRegExp(pattern);
  return re.test(familiarName(ref)) || re.test(familiarRepository(ref));
}

/** Go's path.Match syntax: `*` and `?` stop at "/", `[a-z]` / `[^a]` classes, `\` escapes. */
export function globToRegExp(pattern: string): RegExp {
  const bad = () => invalidArgument('syntax error in pattern');
  // With the `u` flag, `\-` is only valid inside a class: escape it there alone.
  const esc = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  const escClass = (c: string) => esc(c).replace(/-/g, '\\-');
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      if (++i >= pattern.length) throw bad();
      out += esc(pattern[i]);
    } else if (c === '[') {
      i++;
      let cls = '';
      if (pattern[i] === '^') {
        cls = '^';
        i++;
      }
      let ranges = 0;
      for (;;) {
        if (i >= pattern.length) throw bad();
        if (pattern[i] === ']' && ranges > 0) break;
        const lo = classChar(pattern, i, bad);
        i = lo.next;
        let part = escClass(lo.ch);
        if (pattern[i] === '-') {
          const hi = classChar(pattern, i + 1, bad);
          i = hi.next;
          if (hi.ch < lo.ch) throw bad();
          part += `-${escClass(hi.ch)}`;
        }
        cls += part;
        ranges++;
      }
      out += `[${cls}]`;
    } else out += esc(c);
  }
  return new RegExp(`^${out}$`, 'u');
}

function classChar(p: string, i: number, bad: () => Error): { ch: string; next: number } {
  const c = p[i];
  if (c === undefined || c === '-' || c === ']') throw bad();
  if (c === '\\') {
    if (i + 1 >= p.length) throw bad();
    return { ch: p[i + 1], next: i + 2 };
  }
  return { ch: c, next: i + 1 };
}

const DURATION_RE = /^([0-9]*(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$/;
const UNIT_NS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Docker's GetTimestamp: a Go duration ago, unix seconds, or an RFC 3339 date/time. */
export function parseTimestamp(value: string, now = Date.now()): Date {
  if (value !== '0' && DURATION_RE.test(value)) {
    let ms = 0;
    for (const m of value.matchAll(/([0-9]*(?:\.[0-9]*)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_NS[m[2]];
    return new Date(now - ms);
  }
  if (/^\d+(\.\d+)?$/.test(value)) return new Date(Number(value) * 1000);
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw invalidArgument(`failed to parse value as time or duration: "${value}"`);
  return new Date(t);
}

/** Go's RFC3339Nano form: no trailing zeros in the fraction. */
export function rfc3339Nano(date: Date): string {
  return date.toISOString().replace(/\.?0+Z$/, 'Z');
}
