// Signals a container's init process directly, without forking the OCI runtime (`runc kill` costs
// ~15 ms). The pid is only trusted while the process still sits in the container's cgroup, so a
// recycled pid is never signalled.
import { readFileSync } from 'node:fs';

/** Returns false when the process is gone or not the container's: the caller falls back to `runc kill`. */
export function signalContainerInit(pidFile: string, id: string, signal: number): boolean {
  let pid: number;
  let cgroups: string;
  try {
    pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
    if (!(pid > 1)) return false;
    cgroups = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  } catch {
    return false;
  }
  if (!cgroups.includes(`/${id}\n`) && !cgroups.includes(`/${id}/`)) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
