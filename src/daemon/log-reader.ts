// Reads a container's log across its rotated files (oldest first), optionally following it until the
// container stops, also across rotations that happen while following.
import { closeSync, fstat, fstatSync, openSync, read, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseLogLine, type LogEntry } from '../core/log-entry.js';
import { listLogFiles, statQuiet } from './log-files.js';
import { lastEntry, tailEntries } from './log-tail.js';

const readAt = promisify(read);
const fstatAsync = promisify(fstat);

/** A follower keeps at most this much of files it has not read yet (a client that stopped reading). */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;

export interface ReadLogOptions {
  /** Start at the current end of the log instead of its beginning. */
  fromEnd?: boolean;
  /** Start with the last `tail` lines that pass `tailFilter` (read backwards), then go on from the end. */
  tail?: number;
  tailFilter?: (e: LogEntry) => boolean;
  /** Nanoseconds: rotated files whose last entry is older are skipped unread. */
  since?: bigint;
  follow?: boolean;
  /** Resolves when the writer is done; following then drains and ends. */
  stopped?: Promise<unknown>;
  /** Stops reading when the consumer goes away. */
  signal?: AbortSignal;
}

interface Open {
  fd: number;
  ino: number;
  /** Bytes in the file when it was opened. */
  size: number;
}

export async function* readLog(file: string, opts: ReadLogOptions = {}): AsyncGenerator<LogEntry> {
  // Descriptors, not paths: files are renamed by rotation, and a container removed on exit has its
  // directory renamed away while we are still draining its last lines.
  const files = openAll(file);
  if (files.length === 0) return;
  // Each descriptor is closed as soon as its file is done with; these are what is still open.
  const open = new Set(files.map((f) => f.fd));
  const done = (f: Open) => {
    closeQuiet(f.fd);
    open.delete(f.fd);
  };
  const follower = opts.follow ? new Follower(file, files[files.length - 1]) : undefined;
  let stopped = false;
  let wake: (() => void) | undefined;
  void opts.stopped?.then(() => {
    stopped = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  opts.signal?.addEventListener('abort', onAbort);
  // New files are opened as they appear, even while our consumer is slow or still reading older files:
  // rotation may drop them before we get there.
  const watcher = follower
    ? safeWatch(path.dirname(file), () => {
        follower.capture();
        wake?.();
      })
    : undefined;
  try {
    let cur = files[files.length - 1];
    let offset = 0;
    let older = files.slice(0, -1);
    if (opts.tail !== undefined) {
      const ends = files.map((f) => ({ fd: f.fd, end: f.size }));
      for (const e of await tailEntries(ends, opts.tail, opts.tailFilter ?? (() => true))) yield e;
      if (!opts.follow) return;
      older.forEach(done);
      older = [];
      offset = cur.size;
    } else if (opts.fromEnd) {
      older.forEach(done);
      older = [];
      offset = cur.size;
    }
    for (const f of older) {
      if (opts.since !== undefined && ((await lastEntry(f.fd, f.size))?.timeNs ?? 0n) < opts.since) {
        done(f);
        continue;
      }
      for await (const e of entriesOf(f.fd)) {
        yield e;
        if (opts.signal?.aborted) return;
      }
      done(f);
    }
    let lines = new LineSplitter();
    for (;;) {
      const chunk = await readFrom(cur.fd, offset);
      offset += chunk.length;
      yield* lines.push(chunk);
      if (opts.signal?.aborted) return;
      if (chunk.length > 0) continue;
      if (!follower) return;
      // At the end of the current file: has the log moved on to a newer one? conmon closes a file before it
      // creates the next, so once there is a newer one, what is left in this one is final.
      follower.capture();
      const next = follower.next();
      if (next) {
        const rest = await readFrom(cur.fd, offset);
        if (rest.length > 0) {
          follower.putBack(next);
          offset += rest.length;
          yield* lines.push(rest);
          continue;
        }
        const last = lines.end();
        if (last) yield last;
        done(cur);
        open.add(next.fd);
        cur = next;
        offset = 0;
        lines = new LineSplitter();
        continue;
      }
      if (stopped) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
        // inotify can miss events on some filesystems; poll as a fallback.
        setTimeout(resolve, 250).unref();
      });
      wake = undefined;
    }
  } finally {
    watcher?.close();
    opts.signal?.removeEventListener('abort', onAbort);
    follower?.close();
    for (const fd of open) closeQuiet(fd);
  }
}

/** Opens files of the log that are newer than the one being read, as soon as they show up. */
class Follower {
  private readonly queue: Open[] = [];
  /** The inode at `<log>` when last looked: a change means a rotation (or conmon's own replacement). */
  private seenIno: number | undefined;

  constructor(
    private readonly file: string,
    private newest: Open,
  ) {
    this.seenIno = statQuiet(file)?.ino;
  }

  /** Cheap unless `<log>` changed: then the newer files are opened (and so kept from deletion for us). */
  capture(): void {
    const ino = statQuiet(this.file)?.ino;
    if (ino === this.seenIno) return;
    this.seenIno = ino;
    const listed = listLogFiles(this.file);
    const at = listed.findIndex((f) => f.ino === this.newest.ino);
    // Not listed: the newest file we hold was rotated out, so every file there is newer.
    for (const f of at >= 0 ? listed.slice(at + 1) : listed) {
      const opened = openChecked(f.path, f.ino);
      if (!opened) continue;
      this.queue.push(opened);
      this.newest = opened;
    }
    // A consumer that stopped reading must not hold deleted files without bound: drop its oldest.
    let bytes = this.queue.reduce((n, f) => n + f.size, 0);
    while (this.queue.length > 2 && bytes > MAX_QUEUED_BYTES) {
      const dropped = this.queue.shift()!;
      bytes -= dropped.size;
      closeQuiet(dropped.fd);
    }
  }

  next(): Open | undefined {
    return this.queue.shift();
  }

  putBack(f: Open): void {
    this.queue.unshift(f);
  }

  close(): void {
    for (const f of this.queue.splice(0)) closeQuiet(f.fd);
  }
}

/** Every entry of a file from its start to its current end. */
async function* entriesOf(fd: number): AsyncGenerator<LogEntry> {
  let offset = 0;
  const lines = new LineSplitter();
  for (;;) {
    const chunk = await readFrom(fd, offset);
    if (chunk.length === 0) break;
    offset += chunk.length;
    yield* lines.push(chunk);
  }
  const e = lines.end();
  if (e) yield e;
}

/** Log entries out of a file's chunks. Read as latin1 (one byte, one character), no line is split. */
class LineSplitter {
  private carry = '';

  *push(chunk: Buffer): Generator<LogEntry> {
    const lines = (this.carry + chunk.toString('latin1')).split('\n');
    this.carry = lines.pop() ?? '';
    for (const line of lines) {
      const e = parseLogLine(line);
      if (e) yield e;
    }
  }

  /** The last line, when the file ends without a newline. */
  end(): LogEntry | undefined {
    const e = this.carry ? parseLogLine(this.carry) : undefined;
    this.carry = '';
    return e;
  }
}

/**
 * Opens the log's files, oldest first. Listing and opening are synchronous, so berthd's rotator cannot
 * rename anything in between; conmon replacing `<log>` meanwhile is caught by the inode check.
 */
function openAll(file: string): Open[] {
  let opened: Open[] = [];
  for (let attempt = 0; attempt < 5; attempt++) {
    const listed = listLogFiles(file);
    opened = listed.map((f) => openChecked(f.path, f.ino)).filter((f): f is Open => f !== undefined);
    if (opened.length === listed.length) return opened;
    for (const f of opened) closeQuiet(f.fd);
  }
  return opened;
}

/** Opens `p` if it still is the file with inode `ino`. */
function openChecked(p: string, ino: number): Open | undefined {
  let fd: number;
  try {
    fd = openSync(p, 'r');
  } catch {
    return undefined;
  }
  const st = fstatSync(fd);
  if (st.ino !== ino) {
    closeQuiet(fd);
    return undefined;
  }
  return { fd, ino, size: st.size };
}

async function readFrom(fd: number, offset: number): Promise<Buffer> {
  const { size } = await fstatAsync(fd);
  if (size <= offset) return Buffer.alloc(0);
  // Modest reads: the event loop (and the rotator's timers) get a turn between them.
  const buf = Buffer.alloc(Math.min(size - offset, 128 * 1024));
  const { bytesRead } = await readAt(fd, buf, 0, buf.length, offset);
  return buf.subarray(0, bytesRead);
}

function closeQuiet(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

function safeWatch(dir: string, onChange: () => void): FSWatcher | undefined {
  try {
    const w = watch(dir, { persistent: false }, onChange);
    w.on('error', () => w.close());
    return w;
  } catch {
    return undefined;
  }
}
