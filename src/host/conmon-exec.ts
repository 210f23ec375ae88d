// Starts one conmon per exec, as Podman does: `conmon --exec --exec-process-spec`
// runs `runc exec` and reports on its sync pipe first the pid (or the runtime's
// error), later the exit status. With `--exec-attach` it first creates the
// attach socket, says so on the attach pipe, and waits on the start pipe before
// running the process, so a client connected in between loses no output.
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { ConmonError } from './conmon.js';

export interface ConmonExecOptions {
  containerId: string;
  execId: string;
  runtimePath: string;
  runtimeRoot: string;
  /** The exec's own directory: conmon's bundle (attach socket, ctl fifo) and working directory. */
  dir: string;
  processSpec: string;
  pidFile: string;
  socketDir: string;
  terminal: boolean;
  stdin: boolean;
  /** Use the attach handshake; `beforeStart` runs once the attach socket exists. */
  attach: boolean;
}

export interface ConmonExec {
  /** The process's host pid; rejects with ConmonError (the runtime's stderr) when it could not start. */
  pid: Promise<number>;
  /** The exit status conmon reports after the pid (-1 if conmon died without one). */
  exitCode: Promise<number>;
  /** Settles when conmon has exited (its sync pipe closed): its files may go. */
  gone: Promise<void>;
}

export function conmonExecArgs(o: ConmonExecOptions): string[] {
  const args = [
    '--api-version', '1',
    '-c', o.containerId,
    '-u', o.execId,
    '-n', o.containerId,
    '-r', o.runtimePath,
    '-b', o.dir,
    '-p', o.pidFile,
    '--socket-dir-path', o.socketDir,
    // Exec output goes to the attach socket only; no exit dir either: berthd watches
    // <exec-root>/exits for containers, and conmon names the file after the container (-c).
    '-l', 'none',
    '--log-level', 'error',
    '--runtime-arg', `--root=${o.runtimeRoot}`,
    '-e',
    '--exec-process-spec', o.processSpec,
  ];
  if (o.terminal) args.push('-t');
  if (o.stdin) args.push('-i');
  if (o.attach) args.push('--exec-attach');
  return args;
}

/**
 * Spawns conmon. With `attach`, `beforeStart` is called when the attach socket
 * is ready and the process is started when it returns (connect there).
 */
export function startConmonExec(o: ConmonExecOptions, beforeStart?: () => void): ConmonExec {
  const child = spawn('/usr/bin/conmon', conmonExecArgs(o), {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe', o.attach ? 'pipe' : 'ignore'],
    env: {
      PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      _OCI_SYNCPIPE: '3',
      _OCI_STARTPIPE: '4',
      ...(o.attach ? { _OCI_ATTACHPIPE: '5' } : {}),
    },
    detached: true,
    // conmon drops an "oom" marker in its working directory: keep it in the exec's own.
    cwd: o.dir,
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  // It never ran (no binary...): nothing will close the sync pipe for us.
  child.on('error', (err) => {
    fail(err);
    resolveGone();
  });

  let resolvePid!: (pid: number) => void;
  let rejectPid!: (err: Error) => void;
  let resolveExit!: (code: number) => void;
  let resolveGone!: () => void;
  const pid = new Promise<number>((res, rej) => ((resolvePid = res), (rejectPid = rej)));
  const exitCode = new Promise<number>((res) => (resolveExit = res));
  const gone = new Promise<void>((res) => (resolveGone = res));
  let havePid = false;
  let settled = false;
  const fail = (err: Error) => {
    if (settled) return;
    settled = true;
    rejectPid(err);
    resolveExit(-1);
  };

  const startPipe = child.stdio[4] as Writable;
  startPipe.on('error', () => {});
  // The first write lets conmon go on; with --exec-attach a second one starts the process.
  startPipe.write('0');
  if (o.attach) {
    const attachPipe = (child.stdio as unknown as Readable[])[5]!;
    attachPipe.on('error', () => {});
    attachPipe.once('data', () => {
      try {
        beforeStart?.();
      } catch (err) {
        // Could not connect: let the process run anyway, its output is lost like a detached one's.
        stderr += (err as Error).message;
      }
      startPipe.end('1');
    });
  } else {
    startPipe.end();
  }

  const syncPipe = child.stdio[3] as Readable;
  let buffered = '';
  syncPipe.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) onMessage(line);
    }
  });
  const onMessage = (line: string) => {
    let msg: { data: number; message?: string };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return;
    }
    if (!havePid) {
      if (msg.data > 0) {
        havePid = true;
        resolvePid(msg.data);
      } else {
        fail(new ConmonError(msg.message || cleanStderr(stderr) || 'exec failed'));
      }
      return;
    }
    settled = true;
    resolveExit(msg.data);
  };
  syncPipe.on('error', () => {});
  syncPipe.on('close', () => {
    fail(new ConmonError(cleanStderr(stderr) || 'conmon exited without reporting a pid'));
    resolveExit(-1); // a no-op once the real status came
    resolveGone();
  });
  child.unref();
  return { pid, exitCode, gone };
}

function cleanStderr(s: string): string {
  return s
    .split('\n')
    .filter((l) => l && !l.includes('oom_score_adj'))
    .join('\n')
    .trim();
}
