// Binds the ops verbs to one daemon (issue 3): pause, unpause, top, stats.
import type { Daemon } from './daemon.js';
import { containerPause } from './container-pause.js';
import { containerStats, type StatsOptions } from './container-stats.js';
import { containerTop } from './container-top.js';
import { containerUnpause } from './container-unpause.js';

export function opsBackend(d: Daemon) {
  return {
    containerPause: (ref: string) => containerPause(d, ref),
    containerUnpause: (ref: string) => containerUnpause(d, ref),
    containerTop: (ref: string, psArgs?: string) => containerTop(d, ref, psArgs),
    containerStats: (ref: string, opts: StatsOptions) => containerStats(d, ref, opts),
  };
}
