// Checks a create request's restart policy and health check before anything is made (issue 3).
import type { CreateRequest, HostConfig } from '../api/types.js';
import { healthConfigError } from '../core/health-status.js';
import { restartPolicyError } from '../core/restart-policy.js';
import { invalidArgument } from '../errdefs/errors.js';

export function validateLifecycle(req: CreateRequest, hostConfig: HostConfig): void {
  const restart = restartPolicyError(hostConfig.RestartPolicy, Boolean(hostConfig.AutoRemove));
  if (restart) throw invalidArgument(restart);
  const health = healthConfigError(req.Healthcheck);
  if (health) throw invalidArgument(health);
}
