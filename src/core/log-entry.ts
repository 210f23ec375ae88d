// conmon's k8s-file log lines: "<RFC3339Nano> <stdout|stderr> <P|F> <text>".
export interface LogEntry {
  /** Timestamp as written (with its offset) and as nanoseconds since the epoch. */
  time: string;
  timeNs: bigint;
  stream: 'stdout' | 'stderr';
  /** Partial entries (P) continue on the next entry; full ones (F) end a line. */
  partial: boolean;
  /** The container's bytes, one per character (read as latin1): output need not be UTF-8. */
  text: string;
}

export function parseLogLine(line: string): LogEntry | undefined {
  const a = line.indexOf(' ');
  const b = line.indexOf(' ', a + 1);
  const c = line.indexOf(' ', b + 1);
  if (a < 0 || b < 0) return undefined;
  const time = line.slice(0, a);
  const stream = line.slice(a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const tag = c < 0 ? line.slice(b + 1) : line.slice(b + 1, c);
  const text = c < 0 ? '' : line.slice(c + 1);
  return { time, timeNs: toNanos(time), stream, partial: tag.startsWith('P'), text };
}

/** Parses RFC 3339 with up to nanosecond precision into nanoseconds since the epoch. */
export function toNanos(time: string): bigint {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!m) return 0n;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  return BigInt(ms) * 1_000_000n + BigInt(frac);
}

/** Docker's timestamp format for `logs -t`: UTC with nanoseconds. */
export function formatNanos(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const iso = new Date(ms).toISOString().slice(0, 19);
  return `${iso}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}Z`;
}
