// POST /containers/{id}/wait?condition=not-running|next-exit|removed
import type { WaitResponse } from '../api/types.js';
import { invalidArgument } from '../errdefs/errors.js';
import { getContainer } from './container-lookup.js';
import { nextEvent } from './container-events.js';
import type { Daemon } from './daemon.js';

export type WaitCondition = 'not-running' | 'next-exit' | 'removed';

/**
 * Resolves the container first (so a missing one fails before the response
 * starts), then returns the promise of its exit status.
 */
export function containerWait(d: Daemon, ref: string, condition = 'not-running'): {
  result: Promise<WaitResponse>;
  cancel(): void;
} {
  if (!['not-running', 'next-exit', 'removed', ''].includes(condition)) {
    throw invalidArgument(`invalid condition: "${condition}"`);
  }
  const c = getContainer(d, ref);
  if ((condition === 'not-running' || condition === '') && !c.state.Running) {
    return { result: Promise.resolve({ StatusCode: c.state.ExitCode, Error: null }), cancel: () => {} };
  }
  if (condition === 'removed') {
    const destroyed = nextEvent(d, c.id, ['destroy']);
    let code = c.state.ExitCode;
    const died = nextEvent(d, c.id, ['die']);
    void died.promise.then((e) => (code = Number(e.Actor.Attributes.exitCode)));
    return {
      result: destroyed.promise.then(() => {
        died.cancel();
        return { StatusCode: code, Error: null };
      }),
      cancel: () => {
        destroyed.cancel();
        died.cancel();
      },
    };
  }
  const died = nextEvent(d, c.id, ['die']);
  return {
    result: died.promise.then((e) => ({ StatusCode: Number(e.Actor.Attributes.exitCode), Error: null })),
    cancel: died.cancel,
  };
}
