// Docker's health-check rules (moby daemon/health.go): settings with defaults, and what one probe result does.
import type { HealthConfig } from '../api/types.js';

export type HealthStatusName = 'starting' | 'healthy' | 'unhealthy';

export interface HealthLogEntry {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

/** State.Health as Docker's inspect shows it. */
export interface HealthState {
  Status: HealthStatusName;
  FailingStreak: number;
  Log: HealthLogEntry[];
}

export const HEALTH_DEFAULT_INTERVAL_MS = 30_000;
export const HEALTH_DEFAULT_TIMEOUT_MS = 30_000;
export const HEALTH_DEFAULT_RETRIES = 3;
export const HEALTH_MAX_LOG_ENTRIES = 5;
export const HEALTH_MAX_OUTPUT = 4096;
/** Interval, Timeout and StartPeriod below this (in ns, when not 0) are refused. */
export const HEALTH_MIN_DURATION_NS = 1_000_000;

export interface HealthSettings {
  /** The command to run inside the container. */
  argv: string[];
  intervalMs: number;
  timeoutMs: number;
  startPeriodMs: number;
  /** Between probes during the start period while still starting (0 = use intervalMs). */
  startIntervalMs: number;
  retries: number;
}

/** The probe to run, or undefined when the container has no (or a NONE) health check. */
export function healthSettings(hc: HealthConfig | undefined, shell: string[] | null | undefined): HealthSettings | undefined {
  const test = hc?.Test;
  if (!hc || !test || test.length === 0) return undefined;
  let argv: string[];
  switch (test[0]) {
    case 'NONE':
      return undefined;
    case 'CMD':
      argv = test.slice(1);
      break;
    case 'CMD-SHELL':
      argv = [...(shell && shell.length ? shell : ['/bin/sh', '-c']), test.slice(1).join(' ')];
      break;
    default:
      return undefined;
  }
  if (argv.length === 0) return undefined;
  const ms = (ns: number | undefined, dflt: number) => (ns && ns > 0 ? Math.max(1, Math.round(ns / 1e6)) : dflt);
  return {
    argv,
    intervalMs: ms(hc.Interval, HEALTH_DEFAULT_INTERVAL_MS),
    timeoutMs: ms(hc.Timeout, HEALTH_DEFAULT_TIMEOUT_MS),
    startPeriodMs: ms(hc.StartPeriod, 0),
    startIntervalMs: ms(hc.StartInterval, 0),
    retries: hc.Retries && hc.Retries > 0 ? hc.Retries : HEALTH_DEFAULT_RETRIES,
  };
}

/** Docker's create-time checks of Config.Healthcheck; returns the error message or undefined. */
export function healthConfigError(hc: HealthConfig | undefined): string | undefined {
  if (!hc) return undefined;
  for (const field of ['Interval', 'Timeout', 'StartPeriod', 'StartInterval'] as const) {
    const v = hc[field];
    if (v !== undefined && v !== 0 && v < HEALTH_MIN_DURATION_NS) return `${field} in Healthcheck cannot be less than 1ms`;
  }
  if (hc.Retries !== undefined && hc.Retries < 0) return 'Retries in Healthcheck cannot be negative';
  return undefined;
}

export function initialHealth(previous?: HealthState): HealthState {
  return { Status: 'starting', FailingStreak: 0, Log: previous?.Log ? [...previous.Log] : [] };
}

/**
 * Applies one probe result. `sinceStartMs` is the time between the container's
 * start and the probe's start: failures inside the start period do not count
 * while the container has never been healthy.
 */
export function applyProbeResult(
  h: HealthState,
  entry: HealthLogEntry,
  settings: Pick<HealthSettings, 'retries' | 'startPeriodMs'>,
  sinceStartMs: number,
): HealthState {
  const log = [...h.Log, { ...entry, Output: trimOutput(entry.Output) }].slice(-HEALTH_MAX_LOG_ENTRIES);
  if (entry.ExitCode === 0) return { Status: 'healthy', FailingStreak: 0, Log: log };
  if (h.Status === 'starting' && sinceStartMs < settings.startPeriodMs) return { ...h, Log: log };
  const streak = h.FailingStreak + 1;
  return { Status: streak >= settings.retries ? 'unhealthy' : h.Status, FailingStreak: streak, Log: log };
}

/** Keeps at most 4 KiB of a probe's output, as Docker does. */
export function trimOutput(s: string): string {
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= HEALTH_MAX_OUTPUT) return s;
  return buf.subarray(0, HEALTH_MAX_OUTPUT).toString('utf8');
}

/** The wait before the next probe: StartInterval while starting inside the start period, else Interval. */
export function nextProbeDelay(s: HealthSettings, status: HealthStatusName | undefined, sinceStartMs: number): number {
  if (s.startIntervalMs > 0 && status === 'starting' && sinceStartMs < s.startPeriodMs) return s.startIntervalMs;
  return s.intervalMs;
}

/** The text `ps` appends to "Up …". */
export function healthSuffix(status: string | undefined): string {
  if (!status) return '';
  return status === 'starting' ? ' (health: starting)' : ` (${status})`;
}
