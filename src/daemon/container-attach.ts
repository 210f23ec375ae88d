// POST /containers/{id}/attach (output side): streams what the container
// writes from now on, until it exits.
import { frame, STDERR, STDOUT } from '../api/stdcopy.js';
import { conflict } from '../errdefs/errors.js';
import { containerFiles } from './container-files.js';
import { getContainer } from './container-lookup.js';
import { nextEvent } from './container-events.js';
import type { Daemon } from './daemon.js';
import { readLog } from './log-reader.js';

export interface AttachOptions {
  stdout?: boolean;
  stderr?: boolean;
  /** Replay what was logged before attaching. */
  logs?: boolean;
  stream?: boolean;
  signal?: AbortSignal;
}

export function containerAttach(d: Daemon, ref: string, opts: AttachOptions): { tty: boolean; chunks: AsyncGenerator<Buffer> } {
  const c = getContainer(d, ref);
  if (c.state.Paused) throw conflict('You cannot attach to a paused container, unpause it first');
  const tty = Boolean(c.config.Tty);
  const file = containerFiles(d, c.id).log;
  const died = nextEvent(d, c.id, ['die', 'destroy']);
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      if (opts.stream === false && !opts.logs) return;
      const entries = readLog(file, {
        fromEnd: !opts.logs,
        follow: opts.stream !== false,
        stopped: died.promise,
        signal: opts.signal,
      });
      for await (const e of entries) {
        if (e.stream === 'stdout' ? !opts.stdout : !opts.stderr) continue;
        const payload = Buffer.from(e.partial ? e.text : `${e.text}\n`);
        yield tty ? payload : frame(e.stream === 'stdout' ? STDOUT : STDERR, payload);
      }
    } finally {
      died.cancel();
    }
  }
  return { tty, chunks: chunks() };
}
