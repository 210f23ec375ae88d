// Runs one process inside a running container with `<runtime> exec --process` (health probes).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runtimeBinary } from './runc.js';

export interface RuncExecOptions {
  runtime: string; // runc | crun
  root: string; // the runtime's --root, e.g. <execRoot>/runc
  id: string;
  /** The OCI process to run (its args, env, cwd, user...). */
  process: Record<string, unknown>;
  /** Where the process.json is written (removed afterwards). */
  tmpDir: string;
  timeoutMs: number;
  /** Bytes of combined stdout+stderr kept. */
  maxOutput: number;
}

export interface RuncExecResult {
  /** The process's exit code; -1 when it could not run or timed out. */
  exitCode: number;
  output: string;
  timedOut: boolean;
}

export async function runcExec(o: RuncExecOptions): Promise<RuncExecResult> {
  await fs.mkdir(o.tmpDir, { recursive: true });
  const file = path.join(o.tmpDir, `${o.id.slice(0, 12)}-${randomBytes(6).toString('hex')}.json`);
  await fs.writeFile(file, JSON.stringify({ ...o.process, terminal: false }));
  try {
    return await run(o, file);
  } finally {
    await fs.rm(file, { force: true });
  }
}

function run(o: RuncExecOptions, processFile: string): Promise<RuncExecResult> {
  return new Promise((resolve) => {
    const child = spawn(runtimeBinary(o.runtime), ['--root', o.root, 'exec', '--process', processFile, o.id], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let kept = 0;
    const keep = (b: Buffer) => {
      if (kept >= o.maxOutput) return;
      const part = b.subarray(0, o.maxOutput - kept);
      chunks.push(part);
      kept += part.length;
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    // runc forwards SIGTERM to the process; SIGKILL a second later if it lingers.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 1000);
    }, o.timeoutMs);
    let done = false;
    const finish = (r: RuncExecResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      resolve(r);
    };
    child.on('error', (err) => finish({ exitCode: -1, output: err.message, timedOut: false }));
    child.on('close', (code) => {
      const output = Buffer.concat(chunks).toString('utf8');
      if (timedOut) finish({ exitCode: -1, output, timedOut: true });
      else finish({ exitCode: code ?? -1, output, timedOut: false });
    });
  });
}
