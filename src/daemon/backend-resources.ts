// Binds the resources verbs to one daemon (issue 3).
import { containerUpdate } from './container-update.js';
import type { Daemon } from './daemon.js';

export function resourcesBackend(d: Daemon) {
  return {
    containerUpdate: (ref: string, body: Parameters<typeof containerUpdate>[2]) => containerUpdate(d, ref, body),
  };
}
