// Waiting for a container's next lifecycle event (die, destroy, start).
import type { EngineEvent } from '../core/events.js';
import type { Daemon } from './daemon.js';

export interface PendingEvent {
  promise: Promise<EngineEvent>;
  cancel(): void;
}

/** Subscribe before acting, so an event that fires at once is not missed. */
export function nextEvent(d: Daemon, id: string, actions: string[]): PendingEvent {
  let unsubscribe = () => {};
  const promise = new Promise<EngineEvent>((resolve) => {
    unsubscribe = d.events.subscribe((e) => {
      if (e.Type === 'container' && e.Actor.ID === id && actions.includes(e.Action)) {
        unsubscribe();
        resolve(e);
      }
    });
  });
  return { promise, cancel: () => unsubscribe() };
}
