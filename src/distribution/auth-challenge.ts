// WWW-Authenticate challenges (RFC 7235), parsed as distribution's registry/client/auth/challenge does:
// scheme and parameter names lowercased, values unquoted.

export interface Challenge {
  /** "basic" or "bearer" (lowercase). */
  scheme: string;
  parameters: Record<string, string>;
}

/** Every challenge in the given header values (a header may hold several, comma-separated). */
export function parseChallenges(headers: string | string[] | undefined): Challenge[] {
  const values = headers === undefined ? [] : Array.isArray(headers) ? headers : [headers];
  const out: Challenge[] = [];
  for (const value of values) out.push(...parseHeader(value));
  return out;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

function parseHeader(header: string): Challenge[] {
  const out: Challenge[] = [];
  let s = header;
  let current: Challenge | undefined;
  while (s.length > 0) {
    s = s.replace(/^[\s,]+/, '');
    const m = TOKEN.exec(s);
    if (!m) break;
    const word = m[0];
    const rest = s.slice(word.length).replace(/^\s+/, '');
    if (rest.startsWith('=') && current) {
      // name=value (or name="quoted value")
      let value: string;
      let after = rest.slice(1).replace(/^\s+/, '');
      if (after.startsWith('"')) {
        let i = 1;
        value = '';
        for (; i < after.length && after[i] !== '"'; i++) {
          if (after[i] === '\\' && i + 1 < after.length) i++;
          value += after[i];
        }
        after = after.slice(i + 1);
      } else {
        const v = TOKEN.exec(after)?.[0] ?? '';
        value = v;
        after = after.slice(v.length);
      }
      current.parameters[word.toLowerCase()] = value;
      s = after;
    } else {
      current = { scheme: word.toLowerCase(), parameters: {} };
      out.push(current);
      s = rest;
    }
  }
  return out;
}
