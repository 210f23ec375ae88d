// The daemon's side of events: the attributes dockerd adds to every event (a container's image, name and
// labels; an image's labels), helpers other verbs call to publish (health_status), and subscriptions for
// GET /events with since/until/filters.
import type { ContainerRecord } from '../core/containers.js';
import { eventMatches, type FilterArgs } from '../core/event-filter.js';
import { eventTimeNano, type EngineEvent } from '../core/events.js';
import type { Digest } from '../oci/digest.js';
import type { Daemon } from './daemon.js';

/**
 * Makes every event carry what dockerd's LogContainerEvent / LogImageEvent put there: for containers the
 * labels, then `image` (as the user gave it) and `name` (no slash) from the record; for images their labels.
 * A destroyed container's record is gone when `destroy` is published, so the last known values are kept.
 */
export function installEventDecorator(d: Daemon): void {
  const known = new Map<string, { labels: Record<string, string>; image: string; name: string }>();
  const remember = (c: ContainerRecord) => {
    const v = { labels: { ...(c.config.Labels ?? {}) }, image: c.config.Image ?? '', name: c.name.replace(/^\/+/, '') };
    known.set(c.id, v);
    return v;
  };
  d.events.setDecorator((type, action, id, attrs) => {
    if (type === 'container') {
      const c = d.containers.get(id);
      const v = c ? remember(c) : known.get(id);
      if (action === 'destroy') known.delete(id);
      if (!v) return attrs;
      const out: Record<string, string> = { ...attrs, ...v.labels };
      if (attrs.image || v.image) out.image = v.image || attrs.image!;
      out.name = attrs.name ?? v.name;
      return out;
    }
    if (type === 'image') {
      const img = d.images.get(id as Digest);
      const labels = img?.config.config?.Labels ?? {};
      const out: Record<string, string> = { ...attrs, ...labels };
      if (attrs.name !== undefined) out.name = attrs.name;
      return out;
    }
    return attrs;
  });
}

/** Health states a container can report (Docker's types.Starting/Healthy/Unhealthy). */
export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';

/**
 * Publishes `health_status: <status>` for a container, as dockerd does when the status changes
 * (call it only on a change). Attributes are the container's image, name and labels.
 */
export function publishHealthStatus(d: Daemon, containerId: string, status: HealthStatus): EngineEvent {
  return d.events.publish('container', `health_status: ${status}`, containerId, {});
}

/** Publishes a container event with dockerd's attributes (labels, image, name added by the decorator). */
export function publishContainerEvent(d: Daemon, containerId: string, action: string, extra: Record<string, string> = {}): EngineEvent {
  return d.events.publish('container', action, containerId, extra);
}

/** Volume events: create/mount/unmount/destroy with `driver` (and `container`, `destination`, … on mount). */
export function publishVolumeEvent(d: Daemon, name: string, action: string, attrs: Record<string, string>): EngineEvent {
  return d.events.publish('volume', action, name, attrs);
}

/** Network events: create/connect/disconnect/destroy with `name`, `type` (and `container` on connect). */
export function publishNetworkEvent(d: Daemon, networkId: string, action: string, attrs: Record<string, string>): EngineEvent {
  return d.events.publish('network', action, networkId, attrs);
}

export interface EventSubscription {
  /** Matching events from the history, oldest first. */
  past: EngineEvent[];
  /** Whether until is in the past: the stream is only `past`. */
  onlyPast: boolean;
  /** Milliseconds until `until` when it is in the future, else undefined. */
  remainingMs?: number;
  unsubscribe(): void;
}

/** dockerd's SubscribeToEvents: the buffered events in range and, unless until has passed, live ones. */
export function subscribeEvents(
  d: Daemon,
  opts: { since: bigint; until: bigint; filters: FilterArgs },
  onEvent: (e: EngineEvent) => void,
): EventSubscription {
  const nowNanos = BigInt(Date.now()) * 1_000_000n;
  const onlyPast = opts.until > 0n && opts.until < nowNanos;
  const live = (e: EngineEvent) => {
    if (opts.until > 0n && eventTimeNano(e) > opts.until) return;
    if (eventMatches(opts.filters, e)) onEvent(e);
  };
  const { past, unsubscribe } = onlyPast
    ? { past: d.events.past(opts.since, opts.until), unsubscribe: () => {} }
    : d.events.subscribeSince(opts.since, opts.until, live);
  const remainingMs = opts.until > 0n && !onlyPast ? Number((opts.until - nowNanos) / 1_000_000n) + 1 : undefined;
  return { past: past.filter((e) => eventMatches(opts.filters, e)), onlyPast, remainingMs, unsubscribe };
}
