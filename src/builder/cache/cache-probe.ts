// The classic build cache: a step is reused when an image exists whose parent is the step's parent and
// whose container config (the step's "#(nop)" or RUN command, env, labels… — COPY/ADD name the content
// hash of their sources in it) equals the step's. Images and their parent links are the cache index,
// as in Docker (daemon/images/cache.go), so `images -a` shows the intermediate images.
import type { ContainerConfig } from '../../api/types.js';
import type { CacheCandidate } from '../dispatch/backend.js';

const sameList = (a?: readonly string[] | null, b?: readonly string[] | null): boolean => {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

const sameKeys = (a?: Record<string, unknown> | null, b?: Record<string, unknown> | null): boolean => {
  const x = Object.keys(a ?? {});
  const y = new Set(Object.keys(b ?? {}));
  return x.length === y.size && x.every((k) => y.has(k));
};

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Docker's compare() of two container configs (Image and Hostname never count; an OpenStdin config never
 * matches), plus the fields Docker leaves to the parent chain (WorkingDir, Shell, OnBuild, StopSignal,
 * Healthcheck), compared too so a cache hit can never carry a different config.
 */
export function sameStepConfig(a: ContainerConfig | undefined, b: ContainerConfig | undefined): boolean {
  if (!a || !b || a.OpenStdin || b.OpenStdin) return false;
  if (Boolean(a.AttachStdout) !== Boolean(b.AttachStdout) || Boolean(a.AttachStderr) !== Boolean(b.AttachStderr)) return false;
  if ((a.User ?? '') !== (b.User ?? '') || Boolean(a.Tty) !== Boolean(b.Tty)) return false;
  if (!sameList(a.Cmd, b.Cmd) || !sameList(a.Env, b.Env) || !sameList(a.Entrypoint, b.Entrypoint)) return false;
  const la = a.Labels ?? {};
  const lb = b.Labels ?? {};
  if (Object.keys(la).length !== Object.keys(lb).length || Object.entries(la).some(([k, v]) => lb[k] !== v)) return false;
  if (!sameKeys(a.ExposedPorts, b.ExposedPorts) || !sameKeys(a.Volumes, b.Volumes)) return false;
  if ((a.WorkingDir ?? '') !== (b.WorkingDir ?? '') || !sameList(a.Shell, b.Shell) || !sameList(a.OnBuild, b.OnBuild)) return false;
  return (a.StopSignal ?? '') === (b.StopSignal ?? '') && sameJson(a.Healthcheck, b.Healthcheck);
}

/** The newest candidate built by the same step, or undefined (a cache miss). */
export function findCached(candidates: readonly CacheCandidate[], step: ContainerConfig): string | undefined {
  let best: CacheCandidate | undefined;
  for (const c of candidates) {
    if (!sameStepConfig(c.containerConfig, step)) continue;
    if (!best || Date.parse(c.created) > Date.parse(best.created)) best = c;
  }
  return best?.id;
}
