// Binds the ops verbs to one daemon (issue 3).
import type { Daemon } from './daemon.js';

export function opsBackend(d: Daemon) {
  void d;
  return {};
}
