// Binds the events verbs to one daemon (issue 3).
import type { FilterArgs } from '../core/event-filter.js';
import type { EngineEvent } from '../core/events.js';
import type { Daemon } from './daemon.js';
import { installEventDecorator, subscribeEvents } from './system-events.js';

export function eventsBackend(d: Daemon) {
  installEventDecorator(d);
  return {
    subscribe(opts: { since: bigint; until: bigint; filters: FilterArgs }, onEvent: (e: EngineEvent) => void) {
      return subscribeEvents(d, opts, onEvent);
    },
  };
}
