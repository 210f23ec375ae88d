// Binds the events verbs to one daemon (issue 3).
import type { Daemon } from './daemon.js';

export function eventsBackend(d: Daemon) {
  void d;
  return {};
}
