// Whether the kernel's OOM killer killed a process in a container's cgroup, read from the cgroup itself
// (v1: memory.oom_control "oom_kill N", kernel ≥ 4.13; v2: memory.events "oom_kill N").
//
// conmon writes <persist-dir>/oom from an eventfd (v1) or inotify (v2) callback, but on a fast exit its
// main loop can handle the child's exit, and write the exit file, before that callback runs — so the oom
// file may be missing (or late) when the exit is reported. The counter in the cgroup is bumped before the
// victim dies and stays until the cgroup is removed (`runc delete`, which comes after the exit is recorded).
import { readFileSync } from 'node:fs';
import path from 'node:path';

const CGROUP_ROOT = '/sys/fs/cgroup';

function oomKills(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const m = /^oom_kill (\d+)$/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** `cgroupsPath` as in the OCI spec, e.g. "/berth/<id>". False when the cgroup is gone or has no counter. */
export function cgroupOomKilled(cgroupsPath: string, root = CGROUP_ROOT): boolean {
  const rel = cgroupsPath.replace(/^\/+/, '');
  const v1 = oomKills(path.join(root, 'memory', rel, 'memory.oom_control'));
  if (v1 !== undefined) return v1 > 0;
  const v2 = oomKills(path.join(root, rel, 'memory.events'));
  return (v2 ?? 0) > 0;
}
