// The `detachKeys` parameter of attach and exec: "ctrl-p,ctrl-q" (the default),
// "ctrl-<x>" or single characters, comma-separated. Used by the CLI and the daemon.

/** ctrl-@ is NUL; ctrl-[ through ctrl-_ are 27 to 31 (ESC onwards), as in Docker's term package. */
const CTRL_SPECIALS: Record<string, number> = { '@': 0, '[': 27, '\\': 28, ']': 29, '^': 30, _: 31 };

/** The byte sequence; throws Docker's "Invalid detach keys (x) provided". */
export function parseDetachKeys(spec: string | undefined): Buffer {
  const text = spec === undefined || spec === '' ? 'ctrl-p,ctrl-q' : spec;
  const out: number[] = [];
  for (const part of text.split(',')) {
    const key = part.trim();
    if (key.length === 1) {
      out.push(key.charCodeAt(0));
      continue;
    }
    const m = /^ctrl-(.)$/i.exec(key);
    const ch = m?.[1] ?? '';
    const code = /[a-z]/i.test(ch) ? ch.toLowerCase().charCodeAt(0) - 96 : CTRL_SPECIALS[ch];
    if (!m || code === undefined) throw new Error(`Invalid detach keys (${text}) provided`);
    out.push(code);
  }
  return Buffer.from(out);
}

/**
 * Scans input for the detach sequence across chunks: bytes that may start
 * the sequence are held back until it completes (detach) or breaks (flushed).
 */
export function detachMatcher(keys: Buffer): (chunk: Buffer) => { data: Buffer; detached: boolean } {
  let held = 0;
  return (chunk) => {
    const out: number[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (keys.length && b === keys[held]) {
        held++;
        if (held === keys.length) return { data: Buffer.from(out), detached: true };
        continue;
      }
      for (let j = 0; j < held; j++) out.push(keys[j]);
      held = 0;
      if (keys.length && b === keys[0]) held = 1;
      else out.push(b);
    }
    return { data: Buffer.from(out), detached: false };
  };
}
