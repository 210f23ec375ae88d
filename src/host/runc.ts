// Calls into the OCI runtime binary (runc or crun; both share this CLI).
import { execFile } from 'node:child_process';

export interface RuncResult {
  stdout: string;
  stderr: string;
}

export function runtimeBinary(name: string): string {
  if (name === 'runc') return '/usr/sbin/runc';
  if (name === 'crun') return '/usr/bin/crun';
  return name;
}

/** Runs `<runtime> --root <root> <args>`; rejects with stderr's last line as the message. */
export function runRuntime(runtime: string, root: string, args: string[]): Promise<RuncResult> {
  return new Promise((resolve, reject) => {
    execFile(runtimeBinary(runtime), ['--root', root, ...args], { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) {
        const msg = lastErrorLine(stderr) || err.message;
        reject(Object.assign(new Error(msg), { stderr }));
        return;
      }
      resolve({ stdout, stderr });
    });
  });
}

/** runc logs JSON lines ({"level":"error","msg":...}) or plain text; keep the message. */
export function lastErrorLine(stderr: string): string {
  const lines = stderr.trim().split('\n').filter(Boolean);
  const last = lines[lines.length - 1] ?? '';
  try {
    const parsed = JSON.parse(last) as { msg?: string };
    if (parsed.msg) return parsed.msg;
  } catch {
    // plain text
  }
  return last;
}
