// Shared pieces of the differential compat tests: the real docker CLI v28 run against berthd and against the
// reference dockerd 20.10 (test/helpers/dockerd-ref.ts), plus parsing and normalising what the user sees
// (tables, IDs, "2 seconds ago") so the two outputs can be compared.
//
//   const env = compatDaemons({ reference: true });   // registers before/after hooks
//   const { berth, ref } = await env.both(['ps', '-a']);
//
// When the reference dockerd cannot start, every test that needs it fails with the reason (never skipped).
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { importBusybox, runDocker, startBerthd, type BerthdHandle, type RunResult } from '../helpers/daemon.js';
import { startReferenceDockerd, type ReferenceDockerd } from '../helpers/dockerd-ref.js';

export interface CompatDaemons {
  /** berthd's socket (started in `before`). */
  readonly berth: string;
  /** The reference dockerd's socket; throws (failing the test) if it could not be started. */
  ref(): string;
  berthd(): BerthdHandle;
  /** The docker CLI against one socket. */
  docker(socket: string, args: string[], opts?: { input?: string | Buffer; timeoutMs?: number }): Promise<RunResult>;
  /** The same docker CLI command against berthd and against the reference dockerd, one after the other. */
  both(args: string[], opts?: { input?: string | Buffer; timeoutMs?: number }): Promise<{ berth: RunResult; ref: RunResult }>;
}

/** Starts berthd (with busybox) and, if asked, the reference dockerd, once for the calling test file. */
export function compatDaemons(opts: { reference: boolean }): CompatDaemons {
  let d: BerthdHandle | undefined;
  let refd: ReferenceDockerd | undefined;
  let refError: unknown;

  before(async () => {
    d = await startBerthd();
    await importBusybox(d.socket);
    if (opts.reference) {
      try {
        refd = await startReferenceDockerd({ timeoutMs: 60_000 });
      } catch (err) {
        refError = err;
      }
    }
  });
  after(async () => {
    await d?.stop();
    await refd?.stop();
  });

  const docker = (socket: string, args: string[], o: { input?: string | Buffer; timeoutMs?: number } = {}) =>
    runDocker(args, { socket, input: o.input, timeoutMs: o.timeoutMs ?? 60_000 });
  const env: CompatDaemons = {
    get berth() {
      if (!d) throw new Error('berthd did not start (see the before hook)');
      return d.socket;
    },
    ref() {
      if (!refd) {
        const why = refError instanceof Error ? refError.message : String(refError ?? 'not requested');
        throw new Error(`the reference dockerd is not available, so this differential test cannot run: ${why}`);
      }
      return refd.socket;
    },
    berthd() {
      if (!d) throw new Error('berthd did not start (see the before hook)');
      return d;
    },
    docker,
    async both(args, o = {}) {
      const refSocket = env.ref();
      const berth = await docker(env.berth, args, o);
      const ref = await docker(refSocket, args, o);
      return { berth, ref };
    },
  };
  return env;
}

/** A prefix for names of containers and images this process creates (lowercase: valid as a repository). */
export function uniquePrefix(file: string): string {
  return `compat-${file}-${process.pid.toString(36)}`;
}

/** Best-effort cleanup of containers (rm -f) and images (rmi -f) on one daemon; never throws. */
export async function cleanup(socket: string, what: { containers?: string[]; images?: string[] }): Promise<void> {
  try {
    if (what.containers?.length) await runDocker(['rm', '-f', ...what.containers], { socket, timeoutMs: 60_000 });
    if (what.images?.length) await runDocker(['rmi', '-f', ...what.images], { socket, timeoutMs: 60_000 });
  } catch {
    // best effort
  }
}

// ---------------------------------------------------------------------------------------------- tables

export interface Table {
  /** Column titles, e.g. ["CONTAINER ID", "IMAGE", …]. */
  columns: string[];
  /** Character offset where each column starts (from the header line). */
  starts: number[];
  /** Cells of each row, trimmed. */
  rows: string[][];
  /** The raw lines (header first). */
  lines: string[];
}

/**
 * Parses a table the docker CLI printed (Go's tabwriter, padding 3) and asserts the alignment rules it
 * follows: every column starts where its title starts, a non-empty cell begins exactly there, and each
 * column is as wide as its widest cell (or title) plus three spaces, and at least 10.
 */
export function parseTable(out: string, what = 'table'): Table {
  assert.ok(out.endsWith('\n'), `${what}: output ends with a newline: ${JSON.stringify(out)}`);
  const lines = out.slice(0, -1).split('\n');
  const header = lines[0] ?? '';
  const columns: string[] = [];
  const starts: number[] = [];
  // Titles are words joined by single spaces ("CONTAINER ID", "CREATED BY"); columns are 3+ spaces apart.
  for (const m of header.matchAll(/\S+(?: \S+)*/g)) {
    columns.push(m[0]);
    starts.push(m.index ?? 0);
  }
  assert.ok(columns.length > 0, `${what}: has a header line: ${JSON.stringify(out)}`);
  assert.equal(starts[0], 0, `${what}: the first column starts at 0`);
  const rows: string[][] = [];
  const widths = columns.map((c) => c.length);
  for (const line of lines.slice(1)) {
    const cells: string[] = [];
    for (let i = 0; i < columns.length; i++) {
      const start = starts[i]!;
      const end = i + 1 < columns.length ? starts[i + 1]! : line.length;
      const raw = line.slice(start, end);
      const cell = raw.trim();
      if (cell !== '') {
        assert.notEqual(raw[0], ' ', `${what}: cell ${JSON.stringify(cell)} starts at column ${columns[i]} (${start}) in ${JSON.stringify(line)}`);
        if (i > 0) assert.equal(line[start - 1], ' ', `${what}: a blank precedes column ${columns[i]} in ${JSON.stringify(line)}`);
        if (i + 1 < columns.length) {
          assert.match(raw, / {3}$/, `${what}: at least three blanks after ${JSON.stringify(cell)} in ${JSON.stringify(line)}`);
        }
      }
      widths[i] = Math.max(widths[i]!, raw.trimEnd().length);
      cells.push(cell);
    }
    rows.push(cells);
  }
  for (let i = 0; i + 1 < columns.length; i++) {
    // tabwriter.NewWriter(out, 10, 1, 3, ' ', 0): minimum width 10, padding 3
    assert.equal(starts[i + 1]! - starts[i]!, Math.max(widths[i]! + 3, 10), `${what}: column ${columns[i]} is max(widest cell + 3, 10) wide`);
  }
  return { columns, starts, rows, lines };
}

/** The rows of `t` as objects keyed by column title. */
export function tableRecords(t: Table): Record<string, string>[] {
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i] ?? ''])));
}

// --------------------------------------------------------------------------------------- normalising

const AGO = /^(Less than a second|About a minute|About an hour|\d+ (second|minute|hour|day|week|month|year)s?) ago$/;
const DURATION = /(Less than a second|About a minute|About an hour|\d+ (second|minute|hour|day|week|month|year)s?)/;

/** One table cell with IDs, ages and durations replaced by placeholders (after checking their shape). */
export function normCell(column: string, value: string): string {
  switch (column) {
    case 'CONTAINER ID':
    case 'IMAGE ID':
      return /^[0-9a-f]{12}$/.test(value) ? '<id>' : /^(sha256:)?[0-9a-f]{64}$/.test(value) ? '<full-id>' : value;
    case 'IMAGE':
      // `history` shows image IDs here (or <missing>); `ps` shows references
      return /^[0-9a-f]{12}$/.test(value) ? '<id>' : /^sha256:[0-9a-f]{64}$/.test(value) ? '<full-id>' : value;
    case 'CREATED':
      return AGO.test(value) ? '<ago>' : value;
    case 'STATUS':
      return value
        .replace(new RegExp(`^Up ${DURATION.source}`), 'Up <duration>')
        .replace(new RegExp(`^(Exited \\(-?\\d+\\)) ${DURATION.source} ago$`), '$1 <ago>');
    default:
      return value;
  }
}

/** A whole record normalised with normCell. */
export function normRecord(rec: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(rec).map(([k, v]) => [k, normCell(k, v)]));
}

/** Replaces 64- and 12-hex IDs (optionally sha256:) in free text by placeholders. */
export function normIds(text: string): string {
  return text.replace(/(sha256:)?\b[0-9a-f]{64}\b/g, '<full-id>').replace(/\b[0-9a-f]{12}\b/g, '<id>');
}

/** Parses `docker inspect` output (a JSON array) and returns its single element. */
export function inspectOne(r: RunResult, what: string): Record<string, unknown> {
  assert.equal(r.code, 0, `${what}: docker inspect failed: ${r.stderr}`);
  const arr = JSON.parse(r.stdout) as unknown;
  assert.ok(Array.isArray(arr) && arr.length === 1, `${what}: inspect prints a one-element array`);
  return arr[0] as Record<string, unknown>;
}

/** Describes a result for assertion messages. */
export function show(r: RunResult): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}
