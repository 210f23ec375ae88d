// Restart policies at run time: the back-off timer of each container between its exit and its restart.
// Imports no verb, so stop/kill/delete can call cancelRestart without an import cycle; the restart
// itself is the runner restart-manager.ts registers.
import type { ContainerRecord } from '../core/containers.js';
import { nextBackoff } from '../core/restart-policy.js';
import type { Daemon } from './daemon.js';

interface Entry {
  /** The last back-off delay (0 = none yet); doubles per restart, reset after 10 s of running. */
  backoffMs: number;
  timer?: NodeJS.Timeout;
}

type Runner = (id: string) => Promise<void>;

const entriesOf = new WeakMap<Daemon, Map<string, Entry>>();
const runners = new WeakMap<Daemon, Runner>();
/** While berthd restores its containers, restarts wait (a start racing the runtime sweep would be swept). */
const held = new WeakMap<Daemon, Set<string>>();
/** Containers being started by a policy right now (their `start` event is not the user's). */
const policyStarts = new Set<string>();

function entries(d: Daemon): Map<string, Entry> {
  let m = entriesOf.get(d);
  if (!m) entriesOf.set(d, (m = new Map()));
  return m;
}

/** What a timer does when its back-off ends; called under the container's lock. */
export function setRestartRunner(d: Daemon, run: Runner): void {
  runners.set(d, run);
}

/**
 * Starts the back-off for a container its policy restarts; the caller (under
 * the container's lock) has already set the state to restarting. Returns the delay.
 */
export function scheduleRestart(d: Daemon, c: ContainerRecord, ranMs: number): number {
  const m = entries(d);
  const e = m.get(c.id) ?? { backoffMs: 0 };
  m.set(c.id, e);
  e.backoffMs = nextBackoff(e.backoffMs, ranMs);
  const pending = held.get(d);
  if (pending) pending.add(c.id);
  else arm(d, c.id, e);
  return e.backoffMs;
}

export function holdRestarts(d: Daemon): void {
  if (!held.has(d)) held.set(d, new Set());
}

export function releaseRestarts(d: Daemon): void {
  const ids = held.get(d);
  held.delete(d);
  for (const id of ids ?? []) {
    const e = entries(d).get(id);
    if (e) arm(d, id, e);
  }
}

function arm(d: Daemon, id: string, e: Entry): void {
  clearTimeout(e.timer);
  e.timer = setTimeout(() => {
    e.timer = undefined;
    const run = runners.get(d);
    if (run) void d.lock(id, () => run(id)).catch(() => {});
  }, e.backoffMs);
}

/** Runs `fn` (a start) marked as the policy's, not the user's. */
export async function asPolicyStart<T>(id: string, fn: () => Promise<T>): Promise<T> {
  policyStarts.add(id);
  try {
    return await fn();
  } finally {
    policyStarts.delete(id);
  }
}

export function isPolicyStart(id: string): boolean {
  return policyStarts.has(id);
}

/** Forgets the back-off (a user's start, or the container is gone). */
export function resetRestartState(d: Daemon, id: string): void {
  const e = entries(d).get(id);
  if (!e) return;
  clearTimeout(e.timer);
  entries(d).delete(id);
}

/** Records a container whose restart will not happen as exited (restart policies exclude AutoRemove). */
export async function settleExited(d: Daemon, c: ContainerRecord): Promise<void> {
  c.state = { ...c.state, Status: 'exited', Running: false, Restarting: false, Paused: false, Pid: 0 };
  await d.containers.save(c, { durable: false });
}

/**
 * Cancels a pending restart (stop, kill or rm -f during the back-off): the
 * container is recorded as exited and no restart happens. The caller holds
 * the container's lock. Returns whether a restart was pending.
 */
export async function cancelRestartLocked(d: Daemon, c: ContainerRecord): Promise<boolean> {
  const e = entries(d).get(c.id);
  if (e) {
    clearTimeout(e.timer);
    e.timer = undefined;
  }
  if (!c.state.Restarting) return false;
  await settleExited(d, c);
  return true;
}

/** cancelRestartLocked, taking the container's lock itself (for stop / rm -f instead of waiting for `die`). */
export async function cancelRestart(d: Daemon, id: string): Promise<boolean> {
  return d.lock(id, async () => {
    const c = d.containers.get(id);
    return c ? cancelRestartLocked(d, c) : false;
  });
}
