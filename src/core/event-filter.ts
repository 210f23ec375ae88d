// dockerd's events filter (daemon/events/filter.go) over filters.Args semantics: every key given must
// match (AND), values of one key are alternatives (OR). Unknown keys are ignored, as dockerd does.
import type { EngineEvent } from './events.js';

export type FilterArgs = Map<string, string[]>;

export class EventFilterError extends Error {}

/** filters.FromJSON: `{"key":["v"]}` or the legacy `{"key":{"v":true}}`; '' means no filters. */
export function parseEventFilters(json: string | null | undefined): FilterArgs {
  const args: FilterArgs = new Map();
  if (!json) return args;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new EventFilterError((err as Error).message);
  }
  if (raw === null) return args;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new EventFilterError('invalid filter: expected an object');
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (Array.isArray(value)) args.set(key, value.map(String));
    else if (value && typeof value === 'object') {
      args.set(key, Object.entries(value as Record<string, unknown>).filter(([, on]) => on === true).map(([v]) => v));
    } else throw new EventFilterError(`invalid filter: value of "${key}" must be a list`);
  }
  return args;
}

function values(f: FilterArgs, key: string): string[] {
  return f.get(key) ?? [];
}

function exactMatch(f: FilterArgs, key: string, source: string): boolean {
  const vs = values(f, key);
  return vs.length === 0 || vs.includes(source);
}

function fuzzyMatch(f: FilterArgs, key: string, source: string): boolean {
  const vs = values(f, key);
  if (vs.length === 0 || vs.includes(source)) return true;
  return vs.some((v) => source.startsWith(v));
}

/** filters.Args.MatchKVList: every `k` or `k=v` must be among the attributes. */
function matchKVList(f: FilterArgs, key: string, attrs: Record<string, string>): boolean {
  for (const v of values(f, key)) {
    const eq = v.indexOf('=');
    const k = eq < 0 ? v : v.slice(0, eq);
    if (!Object.prototype.hasOwnProperty.call(attrs, k)) return false;
    if (eq >= 0 && attrs[k] !== v.slice(eq + 1)) return false;
  }
  return true;
}

/** Events that also match a filter value without the ": detail" suffix (moby#25798). */
const FUZZY_ACTIONS = new Set(['health_status', 'exec_create', 'exec_start']);

function matchAction(f: FilterArgs, action: string): boolean {
  if (values(f, 'event').some((v) => FUZZY_ACTIONS.has(v))) return fuzzyMatch(f, 'event', action);
  return exactMatch(f, 'event', action);
}

/** The ID, or the name attribute, starts with a value of the filter named after the event type. */
function matchName(f: FilterArgs, e: EngineEvent, type: string): boolean {
  // dockerd applies the key to events of every type: `container=x` drops image events.
  return fuzzyMatch(f, type, e.Actor.ID) || fuzzyMatch(f, type, e.Actor.Attributes.name ?? '');
}

/** reference.FamiliarName: docker.io/library/busybox:latest → busybox, with tag and digest removed. */
export function stripTag(image: string): string {
  if (image.startsWith('sha256:')) return image;
  let name = image;
  const at = name.indexOf('@');
  if (at >= 0) name = name.slice(0, at);
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) name = name.slice(0, colon);
  if (name.startsWith('docker.io/')) name = name.slice('docker.io/'.length);
  else if (name.startsWith('index.docker.io/')) name = name.slice('index.docker.io/'.length);
  if (name.startsWith('library/') && name.indexOf('/', 'library/'.length) < 0) name = name.slice('library/'.length);
  return name;
}

function matchImage(f: FilterArgs, e: EngineEvent): boolean {
  const id = e.Actor.ID;
  const name = e.Actor.Attributes[e.Type === 'image' ? 'name' : 'image'] ?? '';
  return (
    exactMatch(f, 'image', id) ||
    exactMatch(f, 'image', name) ||
    exactMatch(f, 'image', stripTag(id)) ||
    exactMatch(f, 'image', stripTag(name))
  );
}

/** dockerd's Filter.Include. */
export function eventMatches(f: FilterArgs, e: EngineEvent): boolean {
  if (f.size === 0) return true;
  return (
    matchAction(f, e.Action) &&
    exactMatch(f, 'type', e.Type) &&
    exactMatch(f, 'scope', e.scope) &&
    matchName(f, e, 'daemon') &&
    matchName(f, e, 'container') &&
    matchName(f, e, 'plugin') &&
    matchName(f, e, 'volume') &&
    matchName(f, e, 'network') &&
    matchImage(f, e) &&
    matchKVList(f, 'label', e.Actor.Attributes)
  );
}
