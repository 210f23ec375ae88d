// Routes for the filesystem verbs (issue 3).
import type { Router } from '../router.js';

export type FilesystemBackend = Record<string, never>;

export function filesystemRoutes(r: Router, b: FilesystemBackend): void {
  void r;
  void b;
}
