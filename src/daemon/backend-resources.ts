// Binds the resources verbs to one daemon (issue 3).
import type { Daemon } from './daemon.js';

export function resourcesBackend(d: Daemon) {
  void d;
  return {};
}
