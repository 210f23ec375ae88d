// GET /events?since=&until=&filters= — dockerd's events stream: the buffered events in range, then live ones
// until `until` (or forever), one JSON object per line, each flushed as it happens.
import { versionAtLeast } from '../../api/version.js';
import { EventFilterError, parseEventFilters, type FilterArgs } from '../../core/event-filter.js';
import { eventJson, type EngineEvent } from '../../core/events.js';
import { invalidArgument } from '../../errdefs/errors.js';
import type { RequestContext } from '../context.js';
import type { Router } from '../router.js';

export interface EventsSubscription {
  past: EngineEvent[];
  onlyPast: boolean;
  remainingMs?: number;
  unsubscribe(): void;
}

export interface EventsBackend {
  subscribe(opts: { since: bigint; until: bigint; filters: FilterArgs }, onEvent: (e: EngineEvent) => void): EventsSubscription;
}

/**
 * A since/until value in nanoseconds (0n when empty): Unix seconds with an optional fraction
 * ("1700000000.123456789", as the docker CLI sends), or an RFC 3339 date as a convenience.
 */
export function parseEventTime(value: string | null): bigint {
  if (value === null || value === '') return 0n;
  const m = /^(-?\d+)(?:\.(\d*))?$/.exec(value);
  if (m) {
    const frac = (m[2] ?? '').slice(0, 9).padEnd(9, '0');
    return BigInt(m[1]!) * 1_000_000_000n + BigInt(frac || '0');
  }
  const rfc = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/i.exec(value);
  if (rfc) {
    const ms = Date.parse(`${rfc[1]}${rfc[3]}`);
    if (!Number.isNaN(ms)) return BigInt(ms) * 1_000_000n + BigInt((rfc[2] ?? '').padEnd(9, '0') || '0');
  }
  throw invalidArgument(`strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
}

/** The framing the client asked for: json-seq (RS-prefixed) or newline-delimited JSON. */
function framing(ctx: RequestContext): { contentType: string; prefix: string } {
  const accept = String(ctx.req.headers.accept ?? '');
  if (accept.includes('application/json-seq')) return { contentType: 'application/json-seq', prefix: '\x1e' };
  if (accept.includes('application/jsonl')) return { contentType: 'application/jsonl', prefix: '' };
  if (accept.includes('application/x-ndjson')) return { contentType: 'application/x-ndjson', prefix: '' };
  return { contentType: 'application/json', prefix: '' };
}

export function eventsRoutes(r: Router, b: EventsBackend): void {
  r.add('GET', '/events', async (ctx) => {
    const since = parseEventTime(ctx.query.get('since'));
    const until = parseEventTime(ctx.query.get('until'));
    if (until !== 0n && until < since) {
      throw invalidArgument(
        `\`since\` time (${ctx.query.get('since')}) cannot be after \`until\` time (${ctx.query.get('until')})`,
      );
    }
    let filters: FilterArgs;
    try {
      filters = parseEventFilters(ctx.query.get('filters'));
    } catch (err) {
      if (err instanceof EventFilterError) throw invalidArgument(err.message);
      throw err;
    }
    const legacy = !versionAtLeast(ctx.version, '1.52');
    const { contentType, prefix } = framing(ctx);
    const res = ctx.res!;
    const write = (e: EngineEvent) => {
      if (!res.writableEnded && !res.destroyed) res.write(`${prefix}${eventJson(e, { legacy })}\n`);
    };

    await new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let sub: EventsSubscription | undefined;
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        if (timer) clearTimeout(timer);
        sub?.unsubscribe();
        if (!res.writableEnded) res.end();
        resolve();
      };
      // Events published while the history is written are queued, so order is kept.
      let queue: EngineEvent[] | undefined = [];
      sub = b.subscribe({ since, until, filters }, (e) => (queue ? queue.push(e) : write(e)));
      res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-cache' });
      res.flushHeaders();
      for (const e of sub.past) write(e);
      const pending = queue;
      queue = undefined;
      for (const e of pending) write(e);
      if (sub.onlyPast) return finish();
      if (sub.remainingMs !== undefined) timer = setTimeout(finish, Math.max(0, sub.remainingMs));
      res.once('close', finish);
    });
  });
}
