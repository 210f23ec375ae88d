import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus, eventJson, eventTimeNano, type EngineEvent } from './events.js';

/** A bus with a fake clock: each publish is 1 s after the previous, from t0. */
function fakeBus(limit = 1000, t0 = 1_700_000_000n) {
  let t = t0 * 1_000_000_000n;
  return new EventBus(limit, () => (t += 1_000_000_000n));
}

test('publish keeps the old signature and fills dockerd’s shape, legacy fields included', () => {
  const bus = fakeBus();
  const seen: EngineEvent[] = [];
  bus.subscribe((e) => seen.push(e));
  bus.publish('container', 'start', 'abc', { name: 'x', image: 'busybox' });
  bus.publish('image', 'tag', 'sha256:1', { name: 'busybox:latest' });
  bus.publish('volume', 'create', 'v1', { driver: 'local' });
  assert.equal(seen.length, 3);
  assert.deepEqual(Object.keys(seen[0]!), ['status', 'id', 'from', 'Type', 'Action', 'Actor', 'scope', 'time', 'timeNano']);
  assert.equal(seen[0]!.from, 'busybox');
  assert.equal(seen[0]!.time, 1_700_000_001);
  assert.deepEqual(Object.keys(seen[1]!), ['status', 'id', 'Type', 'Action', 'Actor', 'scope', 'time', 'timeNano']);
  assert.deepEqual(Object.keys(seen[2]!), ['Type', 'Action', 'Actor', 'scope', 'time', 'timeNano']);
  assert.equal(eventTimeNano(seen[2]!), 1_700_000_003_000_000_000n);
});

test('eventJson: dockerd’s field order, sorted attributes, exact timeNano, legacy fields optional', () => {
  const bus = new EventBus(10, () => 1_795_355_804_387_624_402n);
  const e = bus.publish('container', 'die', 'abc', { name: 'x', image: 'busybox', exitCode: '3', '1': 'n' });
  assert.equal(
    eventJson(e),
    '{"status":"die","id":"abc","from":"busybox","Type":"container","Action":"die","Actor":{"ID":"abc","Attributes":' +
      '{"1":"n","exitCode":"3","image":"busybox","name":"x"}},"scope":"local","time":1795355804,"timeNano":1795355804387624402}',
  );
  assert.ok(eventJson(e, { legacy: false }).startsWith('{"Type":"container"'));
});

test('timestamps strictly increase even when the clock does not', () => {
  const bus = new EventBus(10, () => 5n);
  const a = bus.publish('container', 'a', '1');
  const b = bus.publish('container', 'b', '1');
  assert.equal(eventTimeNano(b) - eventTimeNano(a), 1n);
});

test('history is bounded and replays since/until like dockerd’s loadBufferedEvents', () => {
  const bus = fakeBus(5);
  for (let i = 1; i <= 8; i++) bus.publish('container', `a${i}`, 'id');
  // Only the last 5 (a4..a8, at t0+4..t0+8 s) are kept.
  const all = bus.past(1n, 0n).map((e) => e.Action);
  assert.deepEqual(all, ['a4', 'a5', 'a6', 'a7', 'a8']);
  const s = (n: number) => (1_700_000_000n + BigInt(n)) * 1_000_000_000n;
  assert.deepEqual(bus.past(s(6), 0n).map((e) => e.Action), ['a6', 'a7', 'a8']);
  assert.deepEqual(bus.past(s(5), s(6)).map((e) => e.Action), ['a5', 'a6']);
  assert.deepEqual(bus.past(0n, s(5)).map((e) => e.Action), ['a4', 'a5'], 'until alone: everything up to it');
  assert.deepEqual(bus.past(0n, 0n), [], 'neither: no replay');
});

test('subscribeSince replays then delivers live events; a throwing listener does not break others', () => {
  const bus = fakeBus();
  bus.publish('container', 'old', 'id');
  const live: string[] = [];
  bus.subscribe(() => {
    throw new Error('bad listener');
  });
  const { past, unsubscribe } = bus.subscribeSince(1n, 0n, (e) => live.push(e.Action));
  assert.deepEqual(past.map((e) => e.Action), ['old']);
  bus.publish('container', 'new', 'id');
  unsubscribe();
  bus.publish('container', 'later', 'id');
  assert.deepEqual(live, ['new']);
});

test('the decorator adds attributes; a failing decorator falls back to the given ones', () => {
  const bus = fakeBus();
  bus.setDecorator((_t, _a, _id, attrs) => ({ ...attrs, label: 'v' }));
  assert.deepEqual(bus.publish('container', 'x', 'id', { name: 'n' }).Actor.Attributes, { label: 'v', name: 'n' });
  bus.setDecorator(() => {
    throw new Error('boom');
  });
  assert.deepEqual(bus.publish('container', 'x', 'id', { name: 'n' }).Actor.Attributes, { name: 'n' });
});
