// POST /containers/prune
import { matchesLabels, parseFilters } from '../core/filters.js';
import { invalidArgument } from '../errdefs/errors.js';
import { removeLocked } from './container-delete.js';
import { containerFiles } from './container-files.js';
import type { Daemon } from './daemon.js';
import { logBytes } from './log-files.js';

export async function containerPrune(
  d: Daemon,
  filters?: string | null,
): Promise<{ ContainersDeleted: string[] | null; SpaceReclaimed: number }> {
  const f = parseFilters(filters, ['until', 'label', 'label!']);
  const until = f.until?.length ? parseUntil(f.until[0]) : undefined;
  const deleted: string[] = [];
  let reclaimed = 0;
  for (const c of d.containers.list()) {
    if (c.state.Running || c.state.Paused) continue;
    if (until !== undefined && Date.parse(c.created) >= until) continue;
    if (f.label?.length && !matchesLabels(c.config.Labels, f.label)) continue;
    if (f['label!']?.length && f['label!'].some((l) => matchesLabels(c.config.Labels, [l]))) continue;
    await d.lock(c.id, async () => {
      const current = d.containers.get(c.id);
      if (!current || current.state.Running) return;
      // What system df reports for it: the writable layer and the log files (which go with the container).
      reclaimed += (await d.snapshots.usage(c.id).catch(() => 0)) + logBytes(containerFiles(d, c.id).log);
      await removeLocked(d, current);
      deleted.push(c.id);
    });
  }
  return { ContainersDeleted: deleted.length ? deleted : null, SpaceReclaimed: reclaimed };
}

/** `until` is a Unix timestamp, an RFC 3339 date or a Go duration ago (10m, 24h). */
export function parseUntil(value: string): number {
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const dur = /^(\d+)(s|m|h)$/.exec(value);
  if (dur) return Date.now() - Number(dur[1]) * { s: 1e3, m: 6e4, h: 3.6e6 }[dur[2] as 's' | 'm' | 'h'];
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw invalidArgument(`failed to parse value as time or duration: "${value}"`);
  return t;
}
