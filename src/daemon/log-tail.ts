// Reading a log backwards, for `logs --tail N`: only the end of the files is read, whatever their size.
import { read } from 'node:fs';
import { promisify } from 'node:util';
import { parseLogLine, type LogEntry } from '../core/log-entry.js';

const readAt = promisify(read);

const CHUNK = 64 * 1024;

/** The complete lines of the first `end` bytes of a file, last line first. */
export async function* linesBackward(fd: number, end: number): AsyncGenerator<string> {
  let pos = end;
  // The start of a line whose beginning lies before `pos`; null until the last newline is found
  // (what follows it is a line still being written: a follower reads it later).
  let pending: Buffer | null = null;
  while (pos > 0) {
    const len = Math.min(CHUNK, pos);
    pos -= len;
    const buf = Buffer.alloc(len);
    const { bytesRead } = await readAt(fd, buf, 0, len, pos);
    let data = buf.subarray(0, bytesRead);
    if (pending === null) {
      const nl = data.lastIndexOf(0x0a);
      if (nl < 0) continue;
      data = data.subarray(0, nl);
    } else {
      data = Buffer.concat([data, pending]);
    }
    let stop = data.length;
    for (let i = stop - 1; i >= 0; i--) {
      if (data[i] !== 0x0a) continue;
      yield data.subarray(i + 1, stop).toString('latin1');
      stop = i;
    }
    pending = data.subarray(0, stop);
  }
  if (pending?.length) yield pending.toString('latin1');
}

/** The last entry of a file (its newest time), if it has one. */
export async function lastEntry(fd: number, end: number): Promise<LogEntry | undefined> {
  for await (const line of linesBackward(fd, end)) {
    const e = parseLogLine(line);
    if (e) return e;
  }
  return undefined;
}

/**
 * The last `count` lines (in order) of the files, newest file last, keeping entries that pass `wanted`.
 * A line conmon split into partial entries counts once.
 */
export async function tailEntries(
  files: Array<{ fd: number; end: number }>,
  count: number,
  wanted: (e: LogEntry) => boolean,
): Promise<LogEntry[]> {
  const kept: LogEntry[] = [];
  if (count <= 0) return kept;
  const taken = { stdout: false, stderr: false };
  let lines = 0;
  outer: for (let i = files.length - 1; i >= 0; i--) {
    for await (const line of linesBackward(files[i].fd, files[i].end)) {
      const e = parseLogLine(line);
      if (!e || !wanted(e)) continue;
      // A partial entry followed by a later entry of its stream is the start of that entry's line.
      const continues = e.partial && taken[e.stream];
      if (!continues) {
        if (lines === count) break outer;
        lines++;
      }
      kept.push(e);
      taken[e.stream] = true;
    }
  }
  return kept.reverse();
}
