// Starts one conmon per container, as Podman does: conmon daemonizes, runs
// `runc create`, and reports the container's pid (or an error) on a sync pipe.
import { spawn } from 'node:child_process';

export interface ConmonOptions {
  id: string;
  name: string;
  bundle: string;
  runtimePath: string;
  runtimeRoot: string;
  exitDir: string;
  socketDir: string;
  persistDir: string;
  logPath: string;
  logMaxSize?: number;
  conmonPidFile: string;
  containerPidFile: string;
  terminal?: boolean;
  stdin?: boolean;
  stdinOnce?: boolean;
}

export class ConmonError extends Error {}

export function conmonArgs(o: ConmonOptions): string[] {
  const args = [
    '--api-version', '1',
    '-c', o.id,
    '-u', o.id,
    '-n', o.name,
    '-r', o.runtimePath,
    '-b', o.bundle,
    '-p', o.containerPidFile,
    '-P', o.conmonPidFile,
    '--exit-dir', o.exitDir,
    '--persist-dir', o.persistDir,
    '--socket-dir-path', o.socketDir,
    '-l', `k8s-file:${o.logPath}`,
    '--log-level', 'error',
    // conmon would fsync the log before reporting the exit; the log needs no more durability than Docker's.
    '--no-sync-log',
    '--runtime-arg', `--root=${o.runtimeRoot}`,
  ];
  if (o.logMaxSize && o.logMaxSize > 0) args.push('--log-size-max', String(o.logMaxSize));
  if (o.terminal) args.push('-t');
  if (o.stdin) args.push('-i');
  if (o.stdin && !o.stdinOnce) args.push('--leave-stdin-open');
  return args;
}

/** Resolves with the container's pid once `runc create` has succeeded. */
export function startConmon(o: ConmonOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/conmon', conmonArgs(o), {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', _OCI_SYNCPIPE: '3', _OCI_STARTPIPE: '4' },
      detached: true,
      // conmon also drops an "oom" marker in its working directory: keep it in the container's state.
      cwd: o.persistDir,
    });
    let stderr = '';
    let sync = '';
    let settled = false;
    const done = (err: Error | null, pid?: number) => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve(pid!);
    };
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const syncPipe = child.stdio[3] as NodeJS.ReadableStream;
    syncPipe.on('data', (d: Buffer) => {
      sync += d.toString();
      const parsed = parseSync(sync);
      if (!parsed) return;
      if (parsed.pid > 0) done(null, parsed.pid);
      else done(new ConmonError(parsed.message || stderr.trim() || 'container create failed'));
    });
    syncPipe.on('error', () => {});
    syncPipe.on('end', () => {
      done(new ConmonError(cleanStderr(stderr) || 'conmon exited without reporting a pid'));
    });
    child.on('error', (err) => done(err));
    // The start pipe lets conmon proceed; we have nothing to set up first.
    const startPipe = child.stdio[4] as NodeJS.WritableStream;
    startPipe.on('error', () => {});
    startPipe.write('0');
    child.unref();
  });
}

function parseSync(text: string): { pid: number; message?: string } | undefined {
  const trimmed = text.trim();
  if (!trimmed.endsWith('}')) return undefined;
  try {
    const obj = JSON.parse(trimmed) as { data: number; message?: string };
    return { pid: obj.data, message: obj.message };
  } catch {
    return undefined;
  }
}

function cleanStderr(s: string): string {
  return s
    .split('\n')
    .filter((l) => l && !l.includes('oom_score_adj'))
    .join('\n')
    .trim();
}
