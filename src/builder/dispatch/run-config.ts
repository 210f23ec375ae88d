// The run config a stage carries from step to step (moby's dispatchState.runConfig) and the "#(nop)"
// commands that name a step in the image's container_config and history ("/bin/sh -c #(nop)  ENV A=1").
import type { ContainerConfig } from '../../api/types.js';
import { goQuote, goQuoteRune } from '../../api/go-strconv.js';
import type { HealthConfig } from '../dockerfile/instructions/commands.js';

export const DEFAULT_SHELL = ['/bin/sh', '-c'];
export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** A deep copy (the slices and maps a step may change), as moby's copyRunConfig. */
export function copyRunConfig(c: ContainerConfig, changes: Partial<ContainerConfig> = {}): ContainerConfig {
  const out: ContainerConfig = structuredClone(c);
  return Object.assign(out, structuredClone(changes));
}

export function getShell(c: ContainerConfig): string[] {
  return c.Shell && c.Shell.length > 0 ? [...c.Shell] : [...DEFAULT_SHELL];
}

/** The two-argument comment most metadata steps commit with: [shell..., "#(nop) ", "ENV A=1"]. */
export function withCmdComment(c: ContainerConfig, comment: string): ContainerConfig {
  return copyRunConfig(c, { Cmd: [...getShell(c), '#(nop) ', comment] });
}

/** The one-argument form WORKDIR, COPY and ADD use: [shell..., "#(nop) COPY …"]. */
export function withCmdCommentString(c: ContainerConfig, comment: string): ContainerConfig {
  return copyRunConfig(c, { Cmd: [...getShell(c), `#(nop) ${comment}`] });
}

/** Go's fmt %q of a []string: ["a" "b"]. */
export const goQuoteSlice = (s: readonly string[] | null | undefined): string => `[${(s ?? []).map(goQuote).join(' ')}]`;

/** Go's fmt %v of a []string: [a b]. */
export const goSlice = (s: readonly string[] | null | undefined): string => `[${(s ?? []).join(' ')}]`;

/** Go's time.Duration.String() for nanoseconds. */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(ns);
  let out: string;
  if (u < 1e9) {
    const [unit, div] = u < 1e3 ? ['ns', 1] : u < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    out = trimFraction(u / div) + unit;
  } else {
    const h = Math.floor(u / 3.6e12);
    u -= h * 3.6e12;
    const m = Math.floor(u / 6e10);
    u -= m * 6e10;
    const s = trimFraction(u / 1e9);
    out = h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
  }
  return neg ? `-${out}` : out;
}

function trimFraction(v: number): string {
  return v.toFixed(9).replace(/\.?0+$/, '');
}

/**
 * HEALTHCHECK's history text: Go's %q of the *HealthConfig, as Docker 20.10 prints it
 * (`&{["CMD-SHELL" "true"] "5s" "0s" "0s" '\x00'}`); StartInterval appears only when set (newer engines).
 */
export function formatHealthcheck(h: HealthConfig): string {
  const d = (v: number | undefined) => goQuote(goDuration(v ?? 0));
  const parts = [goQuoteSlice(h.Test), d(h.Interval), d(h.Timeout), d(h.StartPeriod)];
  if (h.StartInterval) parts.push(d(h.StartInterval));
  parts.push(goQuoteRune(String.fromCodePoint(h.Retries ?? 0)));
  return `&{${parts.join(' ')}}`;
}

/** Docker adds PATH to a stage's env when its base image has none. */
export function withDefaultPath(env: readonly string[] | null | undefined): string[] {
  const list = [...(env ?? [])];
  if (!list.some((e) => e.split('=')[0] === 'PATH')) list.push(DEFAULT_PATH_ENV);
  return list;
}

/** Sets KEY=value in an env list, replacing an existing KEY in place. */
export function setEnv(env: string[], key: string, value: string): void {
  const kv = `${key}=${value}`;
  const i = env.findIndex((e) => e.split('=')[0] === key);
  if (i >= 0) env[i] = kv;
  else env.push(kv);
}

/** The config with Docker's fields in Docker's order (absent optional ones left out), as images record it. */
export function dockerConfigShape(c: ContainerConfig): ContainerConfig {
  const out: ContainerConfig = {
    Hostname: c.Hostname ?? '',
    Domainname: c.Domainname ?? '',
    User: c.User ?? '',
    AttachStdin: Boolean(c.AttachStdin),
    AttachStdout: Boolean(c.AttachStdout),
    AttachStderr: Boolean(c.AttachStderr),
  };
  if (c.ExposedPorts && Object.keys(c.ExposedPorts).length > 0) out.ExposedPorts = c.ExposedPorts;
  Object.assign(out, { Tty: Boolean(c.Tty), OpenStdin: Boolean(c.OpenStdin), StdinOnce: Boolean(c.StdinOnce) });
  out.Env = c.Env ?? null;
  out.Cmd = c.Cmd ?? null;
  if (c.Healthcheck) out.Healthcheck = c.Healthcheck;
  if (c.ArgsEscaped) out.ArgsEscaped = true;
  out.Image = c.Image ?? '';
  out.Volumes = c.Volumes && Object.keys(c.Volumes).length > 0 ? c.Volumes : null;
  out.WorkingDir = c.WorkingDir ?? '';
  out.Entrypoint = c.Entrypoint ?? null;
  out.OnBuild = c.OnBuild ?? null;
  out.Labels = c.Labels ?? null;
  if (c.StopSignal) out.StopSignal = c.StopSignal;
  if (c.Shell && c.Shell.length > 0) out.Shell = c.Shell;
  return out;
}
