// Routes for the events verbs (issue 3).
import type { Router } from '../router.js';

export type EventsBackend = Record<string, never>;

export function eventsRoutes(r: Router, b: EventsBackend): void {
  void r;
  void b;
}
