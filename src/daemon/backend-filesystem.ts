// Binds the filesystem verbs to one daemon (issue 3).
import type { Daemon } from './daemon.js';

export function filesystemBackend(d: Daemon) {
  void d;
  return {};
}
