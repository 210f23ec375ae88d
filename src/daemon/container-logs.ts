// GET /containers/{id}/logs: frames (or raw bytes with a TTY) from the log file.
import { frame, STDERR, STDOUT } from '../api/stdcopy.js';
import { formatNanos, type LogEntry } from '../core/log-entry.js';
import { invalidArgument } from '../errdefs/errors.js';
import { containerFiles } from './container-files.js';
import { getContainer } from './container-lookup.js';
import { nextEvent } from './container-events.js';
import type { Daemon } from './daemon.js';
import { readLog } from './log-reader.js';

export interface LogsOptions {
  follow?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  /** Unix seconds, possibly fractional ("1700000000.5"). */
  since?: string;
  until?: string;
  timestamps?: boolean;
  tail?: string;
  signal?: AbortSignal;
}

export interface LogStream {
  tty: boolean;
  chunks: AsyncGenerator<Buffer>;
}

export function containerLogs(d: Daemon, ref: string, opts: LogsOptions): LogStream {
  const c = getContainer(d, ref);
  if (!opts.stdout && !opts.stderr) {
    throw invalidArgument('Bad parameters: you must choose at least one stream');
  }
  const tty = Boolean(c.config.Tty);
  const file = containerFiles(d, c.id).log;
  const since = parseTimestamp(opts.since);
  const until = parseTimestamp(opts.until);
  const tail = opts.tail === undefined || opts.tail === 'all' || opts.tail === '' ? -1 : Number(opts.tail);
  if (Number.isNaN(tail)) throw invalidArgument(`invalid value for "tail": "${opts.tail}"`);
  const died = opts.follow && c.state.Running ? nextEvent(d, c.id, ['die']) : undefined;

  const wanted = (e: LogEntry) =>
    (e.stream === 'stdout' ? opts.stdout : opts.stderr) &&
    (since === undefined || e.timeNs >= since) &&
    (until === undefined || e.timeNs <= until);

  const encode = (e: LogEntry): Buffer => {
    let text = e.partial ? e.text : `${e.text}\n`;
    if (opts.timestamps) text = `${formatNanos(e.timeNs)} ${text}`;
    const payload = Buffer.from(text);
    return tty ? payload : frame(e.stream === 'stdout' ? STDOUT : STDERR, payload);
  };

  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      if (tail >= 0) {
        const kept: LogEntry[] = [];
        for await (const e of readLog(file)) {
          if (!wanted(e)) continue;
          kept.push(e);
          if (kept.length > tail) kept.shift();
        }
        for (const e of kept) yield encode(e);
        if (!opts.follow) return;
      }
      const follow = Boolean(died);
      const stopped = died?.promise ?? Promise.resolve();
      for await (const e of readLog(file, { fromEnd: tail >= 0, follow, stopped, signal: opts.signal })) {
        if (until !== undefined && e.timeNs > until) return;
        if (wanted(e)) yield encode(e);
      }
    } finally {
      died?.cancel();
    }
  }
  return { tty, chunks: chunks() };
}

function parseTimestamp(v: string | undefined): bigint | undefined {
  if (v === undefined || v === '' || v === '0') return undefined;
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(v);
  if (!m) throw invalidArgument(`invalid value for "since"/"until": "${v}"`);
  return BigInt(m[1]) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}
