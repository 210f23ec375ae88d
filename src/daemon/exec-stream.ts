// The attached side of an exec: conmon's attach messages out (framed unless the
// client asked for a TTY stream), the client's stdin in. Input EOF closes the
// process's stdin; detach keys (TTY only, as in dockerd) and a client hanging up
// end the stream but not the process. The stream ends after the exit code is
// recorded and conmon has sent everything.
import type { Readable } from 'node:stream';
import { detachMatcher, parseDetachKeys } from '../api/detach-keys.js';
import { frame, STDERR, STDOUT } from '../api/stdcopy.js';
import type { ExecConfig } from '../core/exec-config.js';
import { ATTACH_STDERR, ATTACH_STDOUT, type ExecTask } from '../core/runtime.js';
import { ChunkQueue } from '../core/chunk-queue.js';

export interface ExecStreamOptions {
  /** The client's stream is raw (TTY) rather than multiplexed: dockerd goes by the start request's Tty. */
  tty: boolean;
  /** The client's input; used when the exec was created with AttachStdin. */
  stdin?: Readable;
  /** Fires when the client hangs up. */
  signal?: AbortSignal;
}


/**
 * `exited` settles once the exit is recorded; `onDetach` is called when the
 * user typed the detach sequence.
 */
export function pipeExecStreams(
  cfg: ExecConfig,
  task: ExecTask,
  exited: Promise<void>,
  o: ExecStreamOptions,
  onDetach: () => void,
): AsyncGenerator<Buffer> {
  const q = new ChunkQueue();
  const io = task.io;
  let ioDone = !io;
  let exitDone = false;
  let finished = false;
  const stdin = cfg.openStdin ? o.stdin : undefined;

  const finish = () => {
    if (finished) return;
    finished = true;
    stdin?.removeListener('data', onInput);
    stdin?.removeListener('end', onInputEnd);
    o.signal?.removeEventListener('abort', onAbort);
    q.end();
  };
  const maybeFinish = () => {
    if (ioDone && exitDone) finish();
  };
  void exited.then(() => {
    exitDone = true;
    maybeFinish();
  });

  if (io) {
    // Read to the end even after the client is gone, so conmon never waits on us.
    io.on('data', (msg: Buffer) => {
      if (finished || msg.length < 1) return;
      const which = msg[0];
      if (which === ATTACH_STDOUT ? !cfg.openStdout : which === ATTACH_STDERR ? !cfg.openStderr : true) return;
      const payload = Buffer.from(msg.subarray(1));
      q.push(o.tty ? payload : frame(which === ATTACH_STDERR ? STDERR : STDOUT, payload));
    });
    const ended = () => {
      if (ioDone) return;
      ioDone = true;
      io.destroy();
      maybeFinish();
    };
    io.on('end', ended);
    io.on('error', ended);
    io.on('close', ended);
  }

  const closeInput = () => {
    if (io && !io.destroyed && !io.writableEnded) io.end();
  };
  const matcher = cfg.tty ? detachMatcher(parseDetachKeys(cfg.detachKeys || undefined)) : undefined;
  const onInput = (chunk: Buffer) => {
    if (!io || io.destroyed) return;
    if (!matcher) {
      io.write(chunk);
      return;
    }
    const { data, detached } = matcher(chunk);
    if (data.length) io.write(data);
    if (detached) {
      onDetach();
      finish();
    }
  };
  const onInputEnd = () => closeInput();
  // The client hung up: its stdin is over; the process runs on (dockerd does not stop it).
  const onAbort = () => {
    closeInput();
    finish();
  };

  if (stdin) {
    stdin.on('data', onInput);
    stdin.on('end', onInputEnd);
    if (stdin.readableEnded) onInputEnd();
    else stdin.resume();
  } else if (cfg.openStdin) {
    closeInput(); // nothing to read from: EOF at once
  }
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) onAbort();

  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      yield* q.drain();
    } finally {
      finish();
    }
  }
  return chunks();
}
