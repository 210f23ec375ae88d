// GET /containers/{id}/logs: frames (or raw bytes with a TTY) from the log files, rotated ones first.
import { frame, STDERR, STDOUT } from '../api/stdcopy.js';
import { formatNanos, type LogEntry } from '../core/log-entry.js';
import type { ContainerRecord } from '../core/containers.js';
import { detailPrefix, normalizeLogConfig, type LogConfig } from '../core/log-options.js';
import { invalidArgument, notImplemented } from '../errdefs/errors.js';
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
  /** Docker's `details`: the log options' extra attributes before each line. */
  details?: boolean;
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
  const logConfig = c.hostConfig.LogConfig ?? { Type: '', Config: {} };
  if (logConfig.Type === 'none') throw notImplemented('configured logging driver does not support reading');
  const tty = Boolean(c.config.Tty);
  const file = containerFiles(d, c.id).log;
  const since = parseTimestamp(opts.since);
  const until = parseTimestamp(opts.until);
  const tail = opts.tail === undefined || opts.tail === 'all' || opts.tail === '' ? -1 : Number(opts.tail);
  if (Number.isNaN(tail)) throw invalidArgument(`invalid value for "tail": "${opts.tail}"`);
  const died = opts.follow && c.state.Running ? nextEvent(d, c.id, ['die']) : undefined;

  const wanted = (e: LogEntry): boolean =>
    Boolean(e.stream === 'stdout' ? opts.stdout : opts.stderr) &&
    (since === undefined || e.timeNs >= since) &&
    (until === undefined || e.timeNs <= until);

  const details = opts.details ? `${detailsOf(c, logConfig, file)} ` : '';
  // Timestamps and details go before each line, not before each piece conmon split a long line into.
  const lineStart = { stdout: true, stderr: true };
  const encode = (e: LogEntry): Buffer => {
    let prefix = '';
    if (lineStart[e.stream]) prefix = opts.timestamps ? `${formatNanos(e.timeNs)} ${details}` : details;
    lineStart[e.stream] = !e.partial;
    // The line holds the container's bytes one per character (latin1); the prefix is our own UTF-8 text.
    const payload = Buffer.concat([Buffer.from(prefix), Buffer.from(e.partial ? e.text : `${e.text}\n`, 'latin1')]);
    return tty ? payload : frame(e.stream === 'stdout' ? STDOUT : STDERR, payload);
  };

  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      const entries = readLog(file, {
        tail: tail >= 0 ? tail : undefined,
        tailFilter: wanted,
        since,
        follow: Boolean(died),
        stopped: died?.promise ?? Promise.resolve(),
        signal: opts.signal,
      });
      for await (const e of entries) {
        // As Docker's readers do: the first entry after `until` ends the stream.
        if (until !== undefined && e.timeNs > until) return;
        if (wanted(e)) yield encode(e);
      }
    } finally {
      died?.cancel();
    }
  }
  return { tty, chunks: chunks() };
}

function detailsOf(c: ContainerRecord, logConfig: LogConfig, logPath: string): string {
  let cfg = logConfig;
  try {
    cfg = normalizeLogConfig(logConfig);
  } catch {
    // stored before options were checked: show what can be shown
  }
  const who = { id: c.id, name: c.name, imageId: c.image, imageName: c.config.Image ?? '', command: [c.path, ...c.args], logPath };
  return detailPrefix(cfg, { labels: c.config.Labels, env: c.config.Env, who });
}

function parseTimestamp(v: string | undefined): bigint | undefined {
  if (v === undefined || v === '' || v === '0') return undefined;
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(v);
  if (!m) throw invalidArgument(`invalid value for "since"/"until": "${v}"`);
  return BigInt(m[1]) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}
