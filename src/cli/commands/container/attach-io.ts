// The client side of an attach: our stdin to the container (raw mode on a
// TTY, detach keys, half-close on EOF), its output to ours, and the window
// size kept in step with the terminal.
import { parseDetachKeys } from '../../../api/detach-keys.js';
import type { Duplex } from 'node:stream';
import type { EngineClient } from '../../../client/client.js';
import type { CliIO } from '../../command.js';
import { copyOutput } from '../../demux.js';

export interface AttachIoOptions {
  tty: boolean;
  /** Forward our stdin. */
  stdin: boolean;
  detachKeys?: string;
}

export interface AttachedIo {
  /** Call once the container is started: raw mode, resize, stdin copy. */
  begin(): void;
  /** Settles when the output ends. */
  output: Promise<void>;
  /** Whether the user typed the detach sequence. */
  detached(): boolean;
  /** Restores the terminal and stops reading stdin. */
  restore(): void;
}

type TtyIn = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (on: boolean) => unknown };
type TtyOut = NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };

export function attachIo(client: EngineClient, id: string, sock: Duplex, io: CliIO, o: AttachIoOptions): AttachedIo {
  const stdin = io.stdin as TtyIn;
  const out = io.stdout as unknown as TtyOut;
  let detached = false;
  let raw = false;
  let restored = false;
  const keys = parseDetachKeys(o.detachKeys);
  let held = 0;
  const onData = (chunk: Buffer | string) => {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    // Detach keys are watched only on a terminal, as Docker does.
    if (!o.tty || keys.length === 0) {
      sock.write(buf);
      return;
    }
    const pass: number[] = [];
    for (const b of buf) {
      if (b === keys[held]) {
        if (++held === keys.length) {
          detached = true;
          if (pass.length) sock.write(Buffer.from(pass));
          sock.destroy();
          return;
        }
        continue;
      }
      for (let j = 0; j < held; j++) pass.push(keys[j]);
      held = b === keys[0] ? 1 : 0;
      if (!held) pass.push(b);
    }
    if (pass.length) sock.write(Buffer.from(pass));
  };
  const onEnd = () => {
    if (!sock.destroyed) sock.end(); // half-close: the container sees EOF, we keep reading
  };
  const resize = () => {
    if (!out.isTTY || !out.rows || !out.columns) return;
    client.containerResize(id, out.rows, out.columns).catch(() => {});
  };
  const restore = () => {
    if (restored) return;
    restored = true;
    process.removeListener('SIGWINCH', resize);
    stdin.removeListener('data', onData);
    stdin.removeListener('end', onEnd);
    if (raw) stdin.setRawMode?.(false);
    stdin.pause();
  };
  sock.on('error', () => {});
  const output = copyOutput(sock, o.tty, io.stdout, io.stderr).catch((err: unknown) => {
    if (!detached) throw err;
  });
  return {
    begin() {
      if (o.tty) {
        resize();
        process.on('SIGWINCH', resize);
      }
      if (!o.stdin) return;
      if (o.tty && stdin.isTTY && stdin.setRawMode) {
        stdin.setRawMode(true);
        raw = true;
      }
      stdin.on('data', onData);
      stdin.on('end', onEnd);
      stdin.resume();
    },
    output: output.finally(restore),
    detached: () => detached,
    restore,
  };
}

