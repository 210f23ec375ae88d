// Restart-policy and health-check flags of run/create and how they enter the request (issue 3).
// Flag texts and checks follow the docker CLI (cli/command/container/opts.go).
import type { CreateRequest, HealthConfig } from '../../../api/types.js';
import type { FlagDef, FlagValues } from '../../flags.js';

export const LIFECYCLE_FLAGS: FlagDef[] = [
  { name: 'health-cmd', type: 'string', usage: 'Command to run to check health' },
  { name: 'health-interval', type: 'duration', usage: 'Time between running the check (ms|s|m|h)' },
  { name: 'health-retries', type: 'int', usage: 'Consecutive failures needed to report unhealthy' },
  {
    name: 'health-start-interval',
    type: 'duration',
    usage: 'Time between running the check during the start period (ms|s|m|h)',
  },
  {
    name: 'health-start-period',
    type: 'duration',
    usage: 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h)',
  },
  { name: 'health-timeout', type: 'duration', usage: 'Maximum time to allow one check to run (ms|s|m|h)' },
  { name: 'no-healthcheck', type: 'bool', usage: 'Disable any container-specified HEALTHCHECK' },
];

/** Flag durations are milliseconds; the API wants nanoseconds. */
const ns = (ms: number) => Math.round(ms * 1e6);

export function applyLifecycleFlags(req: CreateRequest, opts: FlagValues, changed: ReadonlySet<string>): void {
  void changed;
  const policy = req.HostConfig?.RestartPolicy;
  if (req.HostConfig?.AutoRemove && policy && policy.Name !== 'no' && policy.Name !== '') {
    throw new Error('conflicting options: cannot specify both --restart and --rm');
  }
  const cmd = (opts['health-cmd'] as string | undefined) ?? '';
  const interval = (opts['health-interval'] as number | undefined) ?? 0;
  const timeout = (opts['health-timeout'] as number | undefined) ?? 0;
  const startPeriod = (opts['health-start-period'] as number | undefined) ?? 0;
  const startInterval = (opts['health-start-interval'] as number | undefined) ?? 0;
  const retries = (opts['health-retries'] as number | undefined) ?? 0;
  const haveSettings = cmd !== '' || interval !== 0 || timeout !== 0 || startPeriod !== 0 || startInterval !== 0 || retries !== 0;
  if (opts['no-healthcheck']) {
    if (haveSettings) throw new Error('--no-healthcheck conflicts with --health-* options');
    req.Healthcheck = { Test: ['NONE'] };
    return;
  }
  if (!haveSettings) return;
  if (interval < 0) throw new Error('--health-interval cannot be negative');
  if (timeout < 0) throw new Error('--health-timeout cannot be negative');
  if (retries < 0) throw new Error('--health-retries cannot be negative');
  if (startPeriod < 0) throw new Error('--health-start-period cannot be negative');
  if (startInterval < 0) throw new Error('--health-start-interval cannot be negative');
  const hc: HealthConfig = {
    Interval: ns(interval),
    Timeout: ns(timeout),
    StartPeriod: ns(startPeriod),
    StartInterval: ns(startInterval),
    Retries: retries,
  };
  // Without --health-cmd the image's test is kept (an empty Test inherits it).
  if (cmd !== '') hc.Test = ['CMD-SHELL', cmd];
  req.Healthcheck = hc;
}
