// GET /exec/{id}/json
import type { ExecInspect } from '../api/types.js';
import { execInspectView } from '../core/exec-config.js';
import type { Daemon } from './daemon.js';
import { execStore } from './exec-store.js';

export function execInspect(d: Daemon, id: string): ExecInspect {
  return execInspectView(execStore(d).get(id));
}
