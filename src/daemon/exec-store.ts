// The daemon's exec sessions, in memory as in dockerd: an exec is listed in its
// container's ExecIDs while created or running; a finished one stays inspectable
// until its container is removed or the collector drops it (two rounds, five
// minutes apart, as dockerd's execCommandGC).
import type { ExecRecord } from '../core/exec-config.js';
import { notFound } from '../errdefs/errors.js';
import type { Daemon } from './daemon.js';

/** How often finished execs are collected (dockerd: 5 minutes). */
const GC_INTERVAL_MS = 5 * 60_000;

export class ExecStore {
  private readonly execs = new Map<string, ExecRecord>();
  /** Settles when the exec's process has started or failed to (resize waits on it). */
  private readonly started = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  private readonly timer: NodeJS.Timeout;

  constructor(d: Daemon) {
    d.events.subscribe((e) => {
      if (e.Type === 'container' && e.Action === 'destroy') this.removeContainer(e.Actor.ID);
    });
    this.timer = setInterval(() => this.collect(), GC_INTERVAL_MS);
    this.timer.unref();
  }

  add(r: ExecRecord): void {
    this.execs.set(r.id, r);
    let resolve!: () => void;
    const promise = new Promise<void>((res) => (resolve = res));
    this.started.set(r.id, { promise, resolve });
  }

  /** Exact IDs only, as dockerd (no prefixes, no names); 404 "No such exec instance: x". */
  get(id: string): ExecRecord {
    const r = this.execs.get(id);
    if (!r) throw notFound(`No such exec instance: ${id}`);
    return r;
  }

  /** Created or running execs of a container (Container.ExecIDs). */
  liveIdsOf(containerId: string): string[] {
    const out: string[] = [];
    for (const r of this.execs.values()) if (r.containerId === containerId && r.exitCode === null) out.push(r.id);
    return out;
  }

  markStarted(id: string): void {
    this.started.get(id)?.resolve();
  }

  /** Resolves true once started (or failed to), false if `ms` passes first. */
  async waitStarted(id: string, ms: number): Promise<boolean> {
    const s = this.started.get(id);
    if (!s) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((res) => (timer = setTimeout(() => res(false), ms)));
    try {
      return await Promise.race([s.promise.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  removeContainer(containerId: string): void {
    for (const [id, r] of this.execs) {
      if (r.containerId === containerId) this.drop(id);
    }
  }

  /** One collector round: drop finished execs marked last round, mark the rest. */
  collect(): void {
    for (const [id, r] of this.execs) {
      if (r.running || r.exitCode === null) continue;
      if (r.canRemove) this.drop(id);
      else r.canRemove = true;
    }
  }

  close(): void {
    clearInterval(this.timer);
  }

  private drop(id: string): void {
    this.execs.delete(id);
    this.started.get(id)?.resolve();
    this.started.delete(id);
  }
}

const stores = new WeakMap<Daemon, ExecStore>();

/** The daemon's exec store, made on first use. */
export function execStore(d: Daemon): ExecStore {
  let s = stores.get(d);
  if (!s) stores.set(d, (s = new ExecStore(d)));
  return s;
}

/** Container.ExecIDs: null when there are none, as dockerd. */
export function execIdsOf(d: Daemon, containerId: string): string[] | null {
  const s = stores.get(d);
  const ids = s ? s.liveIdsOf(containerId) : [];
  return ids.length ? ids : null;
}
