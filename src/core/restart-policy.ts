// Docker's restart-policy rules (moby restartmanager): when to restart and how long to back off.
import type { RestartPolicy } from '../api/types.js';

export const RESTART_BACKOFF_START_MS = 100;
export const RESTART_BACKOFF_MAX_MS = 60_000;
/** A container that ran this long gets its back-off reset. */
export const RESTART_RESET_AFTER_MS = 10_000;

/** The next back-off delay, from the previous one (0 = none yet) and how long the container ran. */
export function nextBackoff(previousMs: number, ranMs: number): number {
  let t = ranMs >= RESTART_RESET_AFTER_MS ? 0 : previousMs;
  if (t === 0) t = RESTART_BACKOFF_START_MS;
  else if (t < RESTART_BACKOFF_MAX_MS) t *= 2;
  return Math.min(t, RESTART_BACKOFF_MAX_MS);
}

export interface RestartInput {
  policy: RestartPolicy | undefined;
  exitCode: number;
  manuallyStopped: boolean;
  /** Restarts so far (RestartCount). */
  restartCount: number;
}

/** Whether a container that just exited is restarted by its policy. */
export function shouldRestart(i: RestartInput): boolean {
  // A user's stop (or kill -9) always wins, for every policy.
  if (i.manuallyStopped) return false;
  return policyAllows(i);
}

/**
 * Whether berthd starts a stopped container when it comes up: `always` even if
 * the user stopped it, `unless-stopped` only if not, `on-failure` after a
 * failure with retries left.
 */
export function shouldStartOnBoot(i: RestartInput): boolean {
  if (i.policy?.Name === 'always') return true;
  return shouldRestart(i);
}

function policyAllows(i: RestartInput): boolean {
  const name = i.policy?.Name ?? '';
  switch (name) {
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure': {
      const max = i.policy?.MaximumRetryCount ?? 0;
      if (max > 0 && i.restartCount >= max) return false;
      return i.exitCode !== 0;
    }
    default:
      return false;
  }
}

/** Docker's create-time checks of a restart policy; returns the error message or undefined. */
export function restartPolicyError(policy: RestartPolicy | undefined, autoRemove: boolean): string | undefined {
  if (!policy) return undefined;
  const name = policy.Name ?? '';
  const count = policy.MaximumRetryCount ?? 0;
  switch (name) {
    case '':
    case 'no':
    case 'always':
    case 'unless-stopped':
      if (count !== 0) return `maximum retry count cannot be used with restart policy '${name}'`;
      break;
    case 'on-failure':
      if (count < 0) return 'maximum retry count cannot be negative';
      break;
    default:
      return `invalid restart policy '${name}'`;
  }
  if (autoRemove && name !== '' && name !== 'no') return "can't create 'AutoRemove' container with restart policy";
  return undefined;
}
