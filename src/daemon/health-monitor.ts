// Health checks at run time: one probe loop per running container with a Healthcheck.
// Probes run inside the container with `runc exec` (src/host/runc-exec.ts); the rules are core/health-status.ts.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ContainerState } from '../api/types.js';
import type { ContainerRecord } from '../core/containers.js';
import {
  applyProbeResult, healthSettings, HEALTH_MAX_OUTPUT, initialHealth, nextProbeDelay, type HealthSettings,
  type HealthState,
} from '../core/health-status.js';
import { runcExec } from '../host/runc-exec.js';
import { containerFiles } from './container-files.js';
import type { Daemon } from './daemon.js';

type StateWithHealth = ContainerState & { Health?: HealthState };

interface Monitor {
  timer?: NodeJS.Timeout;
  stopped: boolean;
  /** StartedAt of the run this monitor watches. */
  startedAt: string;
}

const monitors = new WeakMap<Daemon, Map<string, Monitor>>();
const installed = new WeakSet<Daemon>();

function monitorsOf(d: Daemon): Map<string, Monitor> {
  let m = monitors.get(d);
  if (!m) monitors.set(d, (m = new Map()));
  return m;
}

export function healthOf(c: ContainerRecord): HealthState | undefined {
  return (c.state as StateWithHealth).Health;
}

/** Follows container events: a `start` begins probing, `die`/`destroy` ends it. Call once per daemon. */
export function installHealthMonitor(d: Daemon): void {
  if (installed.has(d)) return;
  installed.add(d);
  d.events.subscribe((e) => {
    if (e.Type !== 'container') return;
    if (e.Action === 'start') startHealthCheck(d, e.Actor.ID);
    else if (e.Action === 'die' || e.Action === 'destroy') stopHealthCheck(d, e.Actor.ID);
  });
}

/** Begins probing a running container (on start, and for containers re-adopted at start-up). */
export function startHealthCheck(d: Daemon, id: string): void {
  stopHealthCheck(d, id);
  const c = d.containers.get(id);
  if (!c || !c.state.Running) return;
  const settings = healthSettings(c.config.Healthcheck, c.config.Shell);
  if (!settings) return;
  const st = c.state as StateWithHealth;
  // A fresh run starts over; a re-adopted one (same StartedAt) keeps its status.
  const keep = st.Health !== undefined && isReadopt(d, c);
  if (!keep) st.Health = initialHealth(st.Health);
  const mon: Monitor = { stopped: false, startedAt: c.state.StartedAt };
  monitorsOf(d).set(id, mon);
  schedule(d, id, mon, settings);
}

const readopting = new WeakMap<Daemon, Set<string>>();

/** Marks containers berthd re-adopted at start-up, whose health is kept rather than reset. */
export function markReadopted(d: Daemon, id: string): void {
  let s = readopting.get(d);
  if (!s) readopting.set(d, (s = new Set()));
  s.add(id);
}

function isReadopt(d: Daemon, c: ContainerRecord): boolean {
  const s = readopting.get(d);
  const yes = Boolean(s?.has(c.id));
  s?.delete(c.id);
  return yes;
}

export function stopHealthCheck(d: Daemon, id: string): void {
  const m = monitorsOf(d);
  const mon = m.get(id);
  if (!mon) return;
  mon.stopped = true;
  clearTimeout(mon.timer);
  m.delete(id);
}

function schedule(d: Daemon, id: string, mon: Monitor, settings: HealthSettings): void {
  if (mon.stopped) return;
  const c = d.containers.get(id);
  const delay = c
    ? nextProbeDelay(settings, healthOf(c)?.Status, Date.now() - Date.parse(mon.startedAt))
    : settings.intervalMs;
  mon.timer = setTimeout(() => {
    void probe(d, id, mon, settings)
      .catch(() => {})
      .finally(() => schedule(d, id, mon, settings));
  }, delay);
}

async function probe(d: Daemon, id: string, mon: Monitor, settings: HealthSettings): Promise<void> {
  const c = d.containers.get(id);
  if (!c || !c.state.Running || c.state.Paused || c.state.Restarting) return;
  const processSpec = await probeProcess(d, c, settings.argv);
  const start = new Date();
  const r = await runcExec({
    runtime: c.runtime,
    root: path.join(d.config.execRoot, c.runtime),
    id,
    process: processSpec,
    tmpDir: path.join(d.config.execRoot, 'health'),
    timeoutMs: settings.timeoutMs,
    maxOutput: HEALTH_MAX_OUTPUT,
  });
  const end = new Date();
  const output = r.timedOut ? `Health check exceeded timeout (${formatMs(settings.timeoutMs)})` : r.output;
  await d.lock(id, async () => {
    const cur = d.containers.get(id);
    if (mon.stopped || !cur || !cur.state.Running || cur.state.StartedAt !== mon.startedAt) return;
    const st = cur.state as StateWithHealth;
    const before = st.Health ?? initialHealth();
    const after = applyProbeResult(
      before,
      { Start: start.toISOString(), End: end.toISOString(), ExitCode: r.exitCode, Output: output },
      settings,
      start.getTime() - Date.parse(cur.state.StartedAt),
    );
    st.Health = after;
    await d.containers.save(cur, { durable: false });
    if (after.Status !== before.Status) {
      d.events.publish('container', `health_status: ${after.Status}`, id, {
        image: cur.config.Image ?? '',
        name: cur.name.slice(1),
      });
    }
  });
}

/** The container's own process (env, cwd, user, capabilities) with the probe's arguments. */
async function probeProcess(d: Daemon, c: ContainerRecord, argv: string[]): Promise<Record<string, unknown>> {
  let proc: Record<string, unknown> = {};
  try {
    const spec = JSON.parse(await fs.readFile(path.join(containerFiles(d, c.id).bundle, 'config.json'), 'utf8')) as {
      process?: Record<string, unknown>;
    };
    proc = spec.process ?? {};
  } catch {
    proc = { env: c.config.Env ?? [], cwd: c.config.WorkingDir || '/', user: { uid: 0, gid: 0 } };
  }
  const { consoleSize: _c, ...rest } = proc;
  return { ...rest, args: argv, terminal: false };
}

function formatMs(ms: number): string {
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return ms >= 1000 ? `${ms / 1000}s` : `${ms}ms`;
}
