// Docker's rules for combining a create request with the image's config.
import type { ContainerConfig } from '../api/types.js';
import { invalidArgument } from '../errdefs/errors.js';

/** Image values fill what the user left out (moby runconfig Merge). */
export function mergeConfig(user: ContainerConfig, image: ContainerConfig = {}): ContainerConfig {
  const out: ContainerConfig = { ...user };
  if (!out.User) out.User = image.User ?? '';
  out.ExposedPorts = { ...(image.ExposedPorts ?? {}), ...(user.ExposedPorts ?? {}) };
  if (Object.keys(out.ExposedPorts).length === 0) out.ExposedPorts = undefined;
  out.Env = mergeEnv(image.Env ?? [], user.Env ?? []);
  if (out.Env.length === 0) out.Env = null;
  out.Labels = { ...(image.Labels ?? {}), ...(user.Labels ?? {}) };
  // An entrypoint given by the user (even an empty one) drops the image's CMD.
  if (!user.Entrypoint || user.Entrypoint.length === 0) {
    if (!user.Cmd || user.Cmd.length === 0) {
      out.Cmd = image.Cmd ?? null;
      if (image.ArgsEscaped !== undefined) out.ArgsEscaped = image.ArgsEscaped;
    }
    if (user.Entrypoint === undefined || user.Entrypoint === null) out.Entrypoint = image.Entrypoint ?? null;
  }
  if (!out.WorkingDir) out.WorkingDir = image.WorkingDir ?? '';
  if (image.Healthcheck) out.Healthcheck = mergeHealthcheck(user.Healthcheck, image.Healthcheck);
  if (!out.StopSignal && image.StopSignal) out.StopSignal = image.StopSignal;
  out.Volumes = { ...(image.Volumes ?? {}), ...(user.Volumes ?? {}) };
  if (Object.keys(out.Volumes).length === 0) out.Volumes = null;
  if (!out.OnBuild || out.OnBuild.length === 0) out.OnBuild = image.OnBuild ?? null;
  if (out.Cmd === undefined) out.Cmd = null;
  if (out.Entrypoint === undefined) out.Entrypoint = null;
  return out;
}

type Healthcheck = NonNullable<ContainerConfig['Healthcheck']>;

/** Settings the user left empty (or zero) come from the image's HEALTHCHECK, field by field. */
function mergeHealthcheck(user: Healthcheck | undefined | null, image: Healthcheck): Healthcheck {
  if (!user) return image;
  const out = { ...user };
  if (!out.Test || out.Test.length === 0) out.Test = image.Test;
  if (!out.Interval) out.Interval = image.Interval;
  if (!out.Timeout) out.Timeout = image.Timeout;
  if (!out.StartPeriod) out.StartPeriod = image.StartPeriod;
  if (!out.StartInterval) out.StartInterval = image.StartInterval;
  if (!out.Retries) out.Retries = image.Retries;
  return out;
}

/** Later values replace earlier ones with the same key; order of first appearance kept. */
export function mergeEnv(base: string[], overrides: string[]): string[] {
  const out = [...base];
  for (const kv of overrides) {
    const key = kv.split('=')[0];
    const i = out.findIndex((e) => e.split('=')[0] === key);
    if (i >= 0) out[i] = kv;
    else out.push(kv);
  }
  return out;
}

/** The process to run: entrypoint + cmd. Throws 400 when there is none. */
export function entrypointAndArgs(config: ContainerConfig): { path: string; args: string[] } {
  const entry = config.Entrypoint ?? [];
  const cmd = config.Cmd ?? [];
  const all = entry.length > 0 ? [...entry, ...cmd] : cmd;
  if (all.length === 0 || all[0] === '') throw invalidArgument('No command specified');
  return { path: all[0], args: all.slice(1) };
}
