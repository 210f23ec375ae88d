// `berth stats` without names follows the daemon's container events, as docker's does: containers that
// start are added, and those that die (without -a) or are removed drop out.
import type { IncomingMessage } from 'node:http';
import type { EngineClient } from '../../../client/client.js';
import { send } from '../../../client/transport.js';

/** Splits an NDJSON response into objects. */
export async function* jsonLines<T>(res: IncomingMessage): AsyncGenerator<T> {
  let carry = '';
  for await (const chunk of res) {
    carry += (chunk as Buffer).toString('utf8');
    let nl: number;
    while ((nl = carry.indexOf('\n')) >= 0) {
      const line = carry.slice(0, nl).trim();
      carry = carry.slice(nl + 1);
      if (line) yield JSON.parse(line) as T;
    }
  }
  if (carry.trim()) yield JSON.parse(carry) as T;
}

export interface ContainerChange {
  action: 'start' | 'die' | 'destroy';
  id: string;
}

/** Opens the event stream (before the container list is read, so no start is missed). */
export async function watchContainerChanges(client: EngineClient, onChange: (c: ContainerChange) => void): Promise<IncomingMessage> {
  const filters = JSON.stringify({ type: ['container'], event: ['start', 'die', 'destroy'] });
  const res = await send(client.ep, '/events', { query: { filters } });
  void (async () => {
    try {
      for await (const e of jsonLines<{ Action?: string; Actor?: { ID?: string } }>(res)) {
        const id = e.Actor?.ID;
        if (id && (e.Action === 'start' || e.Action === 'die' || e.Action === 'destroy')) onChange({ action: e.Action, id });
      }
    } catch {
      // The stream ends when stats stops (or the daemon goes away); nothing to report.
    }
  })();
  return res;
}
