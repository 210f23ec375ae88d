// Runs the host's ps(1) (for `top`).
import { execFile } from 'node:child_process';

export interface PsResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `ps ARGS…`; never rejects for a non-zero exit (the caller decides), only when ps cannot run. */
export function runPs(args: string[]): Promise<PsResult> {
  return new Promise((resolve, reject) => {
    execFile('ps', args, { maxBuffer: 64 << 20, timeout: 30_000 }, (err, stdout, stderr) => {
      if (err && typeof (err as NodeJS.ErrnoException).code === 'string') {
        reject(err);
        return;
      }
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
