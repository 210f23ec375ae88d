// POST /containers/{id}/attach. Output-only attaches follow the container's
// log; an attach with stdin talks to the shim's attach socket (stdin in,
// live output out), with Docker's rules for stdin EOF and detach keys.
import { detachMatcher, parseDetachKeys } from '../api/detach-keys.js';
import type { Duplex, Readable } from 'node:stream';
import { frame, STDERR, STDOUT } from '../api/stdcopy.js';
import type { ContainerRecord } from '../core/containers.js';
import { ATTACH_STDERR, ATTACH_STDOUT, type Runtime } from '../core/runtime.js';
import { conflict, invalidArgument } from '../errdefs/errors.js';
import { containerFiles } from './container-files.js';
import { getContainer } from './container-lookup.js';
import { nextEvent } from './container-events.js';
import type { Daemon } from './daemon.js';
import { readLog } from './log-reader.js';
import { ChunkQueue } from '../core/chunk-queue.js';

export interface AttachOptions {
  stdout?: boolean;
  stderr?: boolean;
  /** Replay what was logged before attaching. */
  logs?: boolean;
  stream?: boolean;
  signal?: AbortSignal;
  /** The client's input; given only when it attaches stdin. */
  stdin?: Readable;
  /** Detach sequence, Docker's syntax ("ctrl-p,ctrl-q", the default). */
  detachKeys?: string;
}

export interface AttachSession {
  tty: boolean;
  chunks: AsyncGenerator<Buffer>;
}

export function containerAttach(d: Daemon, ref: string, opts: AttachOptions): AttachSession {
  const c = getContainer(d, ref);
  if (c.state.Paused) throw conflict('You cannot attach to a paused container, unpause it first');
  const tty = Boolean(c.config.Tty);
  let detachKeys: Buffer;
  try {
    detachKeys = parseDetachKeys(opts.detachKeys);
  } catch (err) {
    throw invalidArgument((err as Error).message);
  }
  if (opts.stdin && c.config.OpenStdin && opts.stream !== false) {
    return { tty, chunks: attachWithStdin(d, c, opts, opts.stdin, detachKeys) };
  }
  return { tty, chunks: followLog(d, c, opts) };
}

function followLog(d: Daemon, c: ContainerRecord, opts: AttachOptions): AsyncGenerator<Buffer> {
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
        const payload = Buffer.from(e.partial ? e.text : `${e.text}\n`, 'latin1');
        yield tty ? payload : frame(e.stream === 'stdout' ? STDOUT : STDERR, payload);
      }
    } finally {
      died.cancel();
    }
  }
  return chunks();
}

/** One listener per runtime, dispatching "created" to attaches waiting for a container. */
const waiters = new WeakMap<Runtime, Map<string, Set<() => void>>>();

function whenCreated(runtime: Runtime, id: string, fn: () => void): () => void {
  let byId = waiters.get(runtime);
  if (!byId) {
    const map = new Map<string, Set<() => void>>();
    runtime.onCreated((cid) => {
      const set = map.get(cid);
      map.delete(cid);
      for (const f of set ?? []) f();
    });
    waiters.set(runtime, map);
    byId = map;
  }
  const set = byId.get(id) ?? new Set();
  set.add(fn);
  byId.set(id, set);
  return () => set.delete(fn);
}

/** Keeps a shim connection open (and drained) until the container exits, so the shim does not close stdin. */
function park(conn: Duplex): void {
  conn.removeAllListeners('data');
  conn.removeAllListeners('end');
  conn.on('data', () => {});
  conn.on('end', () => conn.destroy());
  conn.on('error', () => conn.destroy());
  conn.resume();
}


function attachWithStdin(d: Daemon, c: ContainerRecord, opts: AttachOptions, stdin: Readable, keys: Buffer): AsyncGenerator<Buffer> {
  const tty = Boolean(c.config.Tty);
  // Docker closes the container's stdin on the client's EOF only for StdinOnce without a TTY.
  const closeStdinOnEof = Boolean(c.config.StdinOnce) && !tty;
  const q = new ChunkQueue();
  let conn: Duplex | undefined;
  let finished = false;
  const log = opts.logs ? followLog(d, c, { ...opts, stream: false }) : undefined;
  stdin.pause();

  const finish = (how: 'park' | 'close' | 'gone') => {
    if (finished) return;
    finished = true;
    cancelWait();
    stdin.removeListener('data', onInput);
    stdin.removeListener('end', onInputEnd);
    if (conn) {
      if (how === 'park') park(conn);
      else if (how === 'close') conn.destroy();
    }
    q.end();
  };
  const matcher = detachMatcher(keys);
  const onInput = (chunk: Buffer) => {
    const { data, detached } = matcher(chunk);
    if (data.length && conn && !conn.destroyed) conn.write(data);
    if (detached) finish('park');
  };
  const onInputEnd = () => {
    if (closeStdinOnEof && conn) conn.end(); // keep reading output until the container is done
    else finish('park');
  };
  const onAbort = () => finish(closeStdinOnEof ? 'close' : 'park');
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  const connect = () => {
    if (finished) return;
    try {
      conn = d.runtime.attach(c.id);
    } catch (err) {
      if (!tty) q.push(frame(STDERR, Buffer.from(`attach: ${(err as Error).message}\n`)));
      finish('gone');
      return;
    }
    conn.on('error', () => finish('gone'));
    conn.on('end', () => finish('gone'));
    conn.on('data', (msg: Buffer) => {
      if (msg.length < 1) return;
      const which = msg[0];
      const payload = msg.subarray(1);
      if (which === ATTACH_STDOUT ? !opts.stdout : which === ATTACH_STDERR ? !opts.stderr : true) return;
      q.push(tty ? Buffer.from(payload) : frame(which === ATTACH_STDERR ? STDERR : STDOUT, Buffer.from(payload)));
    });
    stdin.on('data', onInput);
    stdin.on('end', onInputEnd);
    // The client may have half-closed before the request was even handed to us.
    if (stdin.readableEnded) onInputEnd();
    else stdin.resume();
  };
  let cancelWait = () => {};
  if (c.state.Running) connect();
  else cancelWait = whenCreated(d.runtime, c.id, connect);
  if (opts.signal?.aborted) onAbort();

  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      if (log) yield* log;
      yield* q.drain();
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      finish(closeStdinOnEof ? 'close' : 'park');
    }
  }
  return chunks();
}

