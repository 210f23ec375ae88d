// GET /containers/{id}/stats?stream=&one-shot=: samples of the container's cgroup counters.
import { emptyStats, statsJson, type StatsJson, type StatsSample } from '../core/stats-json.js';
import { readCgroupSample } from '../host/cgroup-stats.js';
import { getContainer } from './container-lookup.js';
import type { Daemon } from './daemon.js';

export interface StatsOptions {
  stream: boolean;
  /** With stream=false: one sample at once, precpu_stats left empty. */
  oneShot?: boolean;
  /** Ends the stream (client gone). */
  signal?: AbortSignal;
  /** Milliseconds between samples (Docker: 1 s). */
  intervalMs?: number;
}

/** Waits `ms`, or less when `signal` fires. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Looks the container up at once (so a missing one is a 404 before anything is sent), then yields
 * samples: one without stream; one per interval with stream, until the client goes or the container stops.
 */
export function containerStats(d: Daemon, ref: string, opts: StatsOptions): AsyncGenerator<StatsJson> {
  const c = getContainer(d, ref);
  const interval = opts.intervalMs ?? 1000;
  const running = () => Boolean(d.containers.get(c.id)?.state.Running);
  const sample = async (): Promise<StatsSample | undefined> => (running() ? readCgroupSample(c.id) : undefined);
  async function* gen(): AsyncGenerator<StatsJson> {
    // Docker answers zero values (with name and ID) for a container that is not running.
    if (!c.state.Running) {
      yield emptyStats(c.name, c.id);
      return;
    }
    if (!opts.stream) {
      const first = await sample();
      if (!first) return yield emptyStats(c.name, c.id);
      if (opts.oneShot) return yield statsJson(c.name, c.id, first);
      // Like dockerd, wait for a second sample so precpu_stats is filled in.
      await pause(interval, opts.signal);
      const second = await sample();
      return yield second ? statsJson(c.name, c.id, second, first) : statsJson(c.name, c.id, first);
    }
    let prev: StatsSample | undefined;
    while (!opts.signal?.aborted) {
      const s = await sample();
      if (!s) {
        if (!prev) yield emptyStats(c.name, c.id);
        return;
      }
      yield statsJson(c.name, c.id, s, prev);
      prev = s;
      await pause(interval, opts.signal);
    }
  }
  return gen();
}
