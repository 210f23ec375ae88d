// Reads a container's log file, optionally following it until the container stops.
import { promises as fs, watch } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { parseLogLine, type LogEntry } from '../core/log-entry.js';

export interface ReadLogOptions {
  /** Start at the current end of the file instead of the beginning. */
  fromEnd?: boolean;
  follow?: boolean;
  /** Resolves when the writer is done; following then drains and ends. */
  stopped?: Promise<unknown>;
  /** Stops reading when the consumer goes away. */
  signal?: AbortSignal;
}

export async function* readLog(file: string, opts: ReadLogOptions = {}): AsyncGenerator<LogEntry> {
  // One descriptor for the whole read: a container removed on exit has its
  // directory renamed away while we are still draining its last lines.
  const fh = await fs.open(file, 'r').catch(() => undefined);
  if (!fh) return;
  let offset = opts.fromEnd ? (await fh.stat()).size : 0;
  let carry = '';
  let stopped = false;
  void opts.stopped?.then(() => (stopped = true));
  let wake: (() => void) | undefined;
  const watcher = opts.follow ? safeWatch(file, () => wake?.()) : undefined;
  void opts.stopped?.then(() => wake?.());
  const onAbort = () => wake?.();
  opts.signal?.addEventListener('abort', onAbort);
  try {
    for (;;) {
      const chunk = await readFrom(fh, offset);
      offset += chunk.length;
      const text = carry + chunk.toString('utf8');
      const lines = text.split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        const e = parseLogLine(line);
        if (e) yield e;
      }
      if (opts.signal?.aborted) return;
      if (chunk.length > 0) continue;
      if (!opts.follow || stopped) return;
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
    await fh.close();
  }
}

async function readFrom(fh: FileHandle, offset: number): Promise<Buffer> {
  const { size } = await fh.stat();
  if (size <= offset) return Buffer.alloc(0);
  const buf = Buffer.alloc(Math.min(size - offset, 1 << 20));
  const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
  return buf.subarray(0, bytesRead);
}

function safeWatch(file: string, onChange: () => void) {
  try {
    return watch(file, onChange);
  } catch {
    return undefined;
  }
}
