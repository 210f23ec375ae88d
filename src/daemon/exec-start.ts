// POST /exec/{id}/start: runs the exec through its own conmon. Detached, it
// answers once the process runs. Attached, the connection is taken over first
// and what goes wrong afterwards is written into the stream, as dockerd does;
// the stream ends only once the exit code is recorded, since the client asks
// for it (GET /exec/{id}/json) right after.
import { STDOUT, frame } from '../api/stdcopy.js';
import type { ContainerRecord } from '../core/containers.js';
import {
  EXEC_START_FAILED, execAction, execStartError, type ConsoleSize, type ExecRecord,
} from '../core/exec-config.js';
import type { ExecTask } from '../core/runtime.js';
import { BerthError, conflict } from '../errdefs/errors.js';
import type { Daemon } from './daemon.js';
import { execContainer } from './exec-container.js';
import { execSpecFor } from './exec-spec.js';
import { execStore } from './exec-store.js';
import { pipeExecStreams, type ExecStreamOptions } from './exec-stream.js';

export type ExecAttachOptions = ExecStreamOptions & { consoleSize?: ConsoleSize };

/** What must hold before the connection is taken over (dockerd's ExecExists): the exec, and its container running. */
export function execStartCheck(d: Daemon, id: string): void {
  execContainer(d, execStore(d).get(id));
}

export async function execStartDetached(d: Daemon, id: string, consoleSize?: ConsoleSize): Promise<void> {
  const r = execStore(d).get(id);
  const c = execContainer(d, r);
  begin(d, r, c);
  const task = await launch(d, r, c, false, consoleSize);
  void recordExit(d, r, c, task);
}

export function execStartAttached(d: Daemon, id: string, o: ExecAttachOptions): AsyncGenerator<Buffer> {
  // dockerd writes the error text, CRLF-terminated, to the stdout stream.
  const text = (err: unknown) => {
    const line = Buffer.from(`${err instanceof Error ? err.message : String(err)}\r\n`);
    return o.tty ? line : frame(STDOUT, line);
  };
  async function* chunks(): AsyncGenerator<Buffer> {
    o.stdin?.pause();
    let r: ExecRecord;
    let c: ContainerRecord;
    let task: ExecTask;
    try {
      r = execStore(d).get(id);
      c = execContainer(d, r);
      begin(d, r, c);
      task = await launch(d, r, c, true, o.consoleSize);
    } catch (err) {
      yield text(err);
      return;
    }
    const exited = recordExit(d, r, c, task);
    const detached = () => d.events.publish('container', 'exec_detach', c.id, attributes(r, c));
    yield* pipeExecStreams(r.config, task, exited, o, detached);
  }
  return chunks();
}

function attributes(r: ExecRecord, c: ContainerRecord): Record<string, string> {
  return { execID: r.id, image: c.config.Image ?? '', name: c.name.slice(1) };
}

function begin(d: Daemon, r: ExecRecord, c: ContainerRecord): void {
  if (r.exitCode !== null) throw conflict(`Error: Exec command ${r.id} has already run`);
  if (r.running) throw conflict(`Error: Exec command ${r.id} is already running`);
  r.running = true;
  d.events.publish('container', execAction('exec_start', r.config), c.id, attributes(r, c));
}

async function launch(d: Daemon, r: ExecRecord, c: ContainerRecord, attach: boolean, consoleSize?: ConsoleSize): Promise<ExecTask> {
  try {
    const task = await d.runtime.exec({
      containerId: c.id,
      execId: r.id,
      process: execSpecFor(d, c, r.config, consoleSize),
      terminal: r.config.tty,
      // Detached, the process gets no stdin (as in dockerd).
      stdin: attach && r.config.openStdin,
      attach,
    });
    r.pid = task.pid;
    return task;
  } catch (err) {
    // As dockerd: whatever the cause, an exec that did not start has run, with 126, and is no longer listed.
    r.running = false;
    r.exitCode = EXEC_START_FAILED;
    const message = err instanceof Error ? err.message : String(err);
    const e = execStartError(r.config.entrypoint, message);
    throw new BerthError(e.kind, e.message, { cause: err });
  } finally {
    execStore(d).markStarted(r.id);
  }
}

/** Records the exit code and publishes exec_die once the process has exited. */
async function recordExit(d: Daemon, r: ExecRecord, c: ContainerRecord, task: ExecTask): Promise<void> {
  const code = await task.exited;
  r.exitCode = code;
  r.running = false;
  d.events.publish('container', 'exec_die', c.id, { ...attributes(r, c), exitCode: String(code) });
}
