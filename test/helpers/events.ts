// A bounded subscription to GET /events for tests: the container actions seen for one ID.
import http from 'node:http';

/** Container events for `id` until `stop()`. */
export function watchEvents(socket: string, id: string): { actions: string[]; stop(): void } {
  const actions: string[] = [];
  let buf = '';
  const req = http.request({ socketPath: socket, path: '/events', method: 'GET' }, (res) => {
    res.on('data', (c: Buffer) => {
      buf += c.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line) continue;
        const e = JSON.parse(line) as { Type?: string; Action?: string; Actor?: { ID?: string } };
        if (e.Type === 'container' && e.Actor?.ID === id && e.Action) actions.push(e.Action);
      }
    });
    res.on('error', () => {});
  });
  req.on('error', () => {});
  req.end();
  return { actions, stop: () => req.destroy() };
}
