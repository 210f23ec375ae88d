// In-process event bus; the /events endpoint and `wait` subscribe to it. It keeps a bounded history so
// `GET /events?since=` can replay what happened before the client connected, as dockerd does.
export interface EngineEvent {
  /** Legacy fields Docker still sends for container and image events (API < 1.52). */
  status?: string;
  id?: string;
  from?: string;
  Type: 'container' | 'image' | 'volume' | 'network' | 'daemon' | 'plugin' | 'builder';
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
  scope: 'local' | 'swarm';
  time: number;
  /** Nanoseconds since the epoch, rounded to a double; eventTimeNano() gives the exact value. */
  timeNano: number;
}

type Listener = (e: EngineEvent) => void;

/** Adds attributes the publisher does not know (a container's labels); returns the final attributes. */
export type EventDecorator = (
  type: EngineEvent['Type'],
  action: string,
  id: string,
  attributes: Record<string, string>,
) => Record<string, string>;

/** How many past events the bus keeps for `since` (dockerd keeps 256). */
export const EVENT_HISTORY_LIMIT = 1000;

const exactNanos = new WeakMap<EngineEvent, bigint>();

/** The event's time in nanoseconds, exactly (a double cannot hold it). */
export function eventTimeNano(e: EngineEvent): bigint {
  return exactNanos.get(e) ?? BigInt(Math.round(e.timeNano));
}

export class EventBus {
  private listeners = new Set<Listener>();
  private readonly history: EngineEvent[] = [];
  private decorator: EventDecorator | undefined;
  private lastNanos = 0n;

  constructor(
    private readonly limit = EVENT_HISTORY_LIMIT,
    private readonly clock: () => bigint = wallClockNanos,
  ) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One decorator per bus (the daemon installs it at start-up). */
  setDecorator(decorator: EventDecorator | undefined): void {
    this.decorator = decorator;
  }

  publish(type: EngineEvent['Type'], action: string, id: string, attributes: Record<string, string> = {}): EngineEvent {
    let attrs = attributes;
    if (this.decorator) {
      try {
        attrs = this.decorator(type, action, id, attributes);
      } catch {
        attrs = attributes;
      }
    }
    let nanos = this.clock();
    if (nanos <= this.lastNanos) nanos = this.lastNanos + 1n;
    this.lastNanos = nanos;
    const e = makeEvent(type, action, id, attrs, nanos);
    this.history.push(e);
    if (this.history.length > this.limit) this.history.splice(0, this.history.length - this.limit);
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // one bad listener must not stop the others
      }
    }
    return e;
  }

  /**
   * Past events with since <= time <= until (nanoseconds; 0 = unbounded), oldest first, like dockerd's
   * loadBufferedEvents. Subscribe to get the events after these: `subscribeSince` does both atomically.
   */
  past(sinceNanos: bigint, untilNanos: bigint): EngineEvent[] {
    if (sinceNanos === 0n && untilNanos === 0n) return [];
    const out: EngineEvent[] = [];
    for (let i = this.history.length - 1; i >= 0; i--) {
      const e = this.history[i]!;
      const t = eventTimeNano(e);
      if (t < sinceNanos) break;
      if (untilNanos > 0n && t > untilNanos) continue;
      out.push(e);
    }
    return out.reverse();
  }

  /** Replays history and subscribes with no gap and no duplicate in between (publish is synchronous). */
  subscribeSince(sinceNanos: bigint, untilNanos: bigint, listener: Listener): { past: EngineEvent[]; unsubscribe: () => void } {
    const past = this.past(sinceNanos, untilNanos);
    return { past, unsubscribe: this.subscribe(listener) };
  }
}

function makeEvent(
  type: EngineEvent['Type'],
  action: string,
  id: string,
  attributes: Record<string, string>,
  nanos: bigint,
): EngineEvent {
  const sorted: Record<string, string> = {};
  for (const k of Object.keys(attributes).sort()) sorted[k] = attributes[k]!;
  const e: EngineEvent = {} as EngineEvent;
  // Field order as dockerd's JSON: status, id, from, Type, Action, Actor, scope, time, timeNano.
  if (type === 'container' || type === 'image') {
    e.status = action;
    e.id = id;
    if (type === 'container' && sorted.image) e.from = sorted.image;
  }
  e.Type = type;
  e.Action = action;
  e.Actor = { ID: id, Attributes: sorted };
  e.scope = 'local';
  e.time = Number(nanos / 1_000_000_000n);
  e.timeNano = Number(nanos);
  exactNanos.set(e, nanos);
  return e;
}

/** Wall-clock time in nanoseconds: milliseconds from Date, the finer part from the monotonic clock. */
export function wallClockNanos(): bigint {
  return BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n);
}

/** The event as dockerd encodes it: one JSON object, attributes in sorted key order, exact timeNano. */
export function eventJson(e: EngineEvent, opts: { legacy?: boolean } = {}): string {
  const legacy = opts.legacy ?? true;
  const parts: string[] = [];
  const q = JSON.stringify;
  if (legacy && e.status !== undefined) parts.push(`"status":${q(e.status)}`);
  if (legacy && e.id !== undefined) parts.push(`"id":${q(e.id)}`);
  if (legacy && e.from) parts.push(`"from":${q(e.from)}`);
  parts.push(`"Type":${q(e.Type)}`, `"Action":${q(e.Action)}`);
  const attrs = Object.keys(e.Actor.Attributes)
    .sort()
    .map((k) => `${q(k)}:${q(e.Actor.Attributes[k])}`)
    .join(',');
  parts.push(`"Actor":{"ID":${q(e.Actor.ID)},"Attributes":{${attrs}}}`);
  parts.push(`"scope":${q(e.scope)}`, `"time":${e.time}`, `"timeNano":${eventTimeNano(e)}`);
  return `{${parts.join(',')}}`;
}
