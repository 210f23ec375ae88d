// The `filters` query parameter: JSON map[string][]string (or the legacy map[string]map[string]bool).
import type { Filters } from '../api/types.js';
import { invalidArgument } from '../errdefs/errors.js';

export function parseFilters(raw: string | null | undefined, allowed: string[]): Filters {
  if (!raw) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidArgument(`invalid filter: ${raw}`);
  }
  const out: Filters = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!allowed.includes(key)) throw invalidArgument(`invalid filter '${key}'`);
    out[key] = Array.isArray(value) ? value.map(String) : Object.keys(value as object);
  }
  return out;
}

/** `label=key` or `label=key=value` against a label map. */
export function matchesLabels(labels: Record<string, string> | null | undefined, wanted: string[]): boolean {
  return wanted.every((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) return labels != null && w in labels;
    return labels != null && labels[w.slice(0, eq)] === w.slice(eq + 1);
  });
}
