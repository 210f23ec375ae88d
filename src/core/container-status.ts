// The human status Docker shows in `ps` ("Up 3 seconds", "Exited (0) 2 minutes ago").
import type { ContainerState } from '../api/types.js';
import { humanDuration } from '../api/units.js';
import { ZERO_TIME } from './containers.js';
import { healthSuffix } from './health-status.js';

export function containerStatus(s: ContainerState, now = Date.now()): string {
  const since = (t: string) => humanDuration(Math.max(0, now - Date.parse(t)));
  if (s.Running) {
    if (s.Paused) return `Up ${since(s.StartedAt)} (Paused)`;
    if (s.Restarting) return `Restarting (${s.ExitCode}) ${since(s.FinishedAt)} ago`;
    const health = (s as { Health?: { Status?: string } }).Health;
    return `Up ${since(s.StartedAt)}${healthSuffix(health?.Status)}`;
  }
  if (s.Status === 'removing') return 'Removal In Progress';
  if (s.Dead) return 'Dead';
  if (s.StartedAt === ZERO_TIME) return 'Created';
  if (s.FinishedAt === ZERO_TIME) return '';
  return `Exited (${s.ExitCode}) ${since(s.FinishedAt)} ago`;
}
