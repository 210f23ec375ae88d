// Routes for the ops verbs (issue 3).
import type { Router } from '../router.js';

export type OpsBackend = Record<string, never>;

export function opsRoutes(r: Router, b: OpsBackend): void {
  void r;
  void b;
}
