// Routes for the resources verbs (issue 3).
import type { Router } from '../router.js';

export type ResourcesBackend = Record<string, never>;

export function resourcesRoutes(r: Router, b: ResourcesBackend): void {
  void r;
  void b;
}
