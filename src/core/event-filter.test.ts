import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventFilterError, eventMatches, parseEventFilters, stripTag } from './event-filter.js';
import { EventBus, type EngineEvent } from './events.js';

const bus = new EventBus(100, () => 1n);
const ctr = (action: string, attrs: Record<string, string> = {}, id = 'a1b2c3d4e5') =>
  bus.publish('container', action, id, { image: 'busybox', name: 'web', ...attrs });
const img = (action: string, name: string, id = 'sha256:feedbeef') => bus.publish('image', action, id, { name });
const match = (filters: Record<string, string[]>, e: EngineEvent) => eventMatches(parseEventFilters(JSON.stringify(filters)), e);

test('parseEventFilters: list form, legacy map form, empty and bad input', () => {
  assert.deepEqual([...parseEventFilters('{"type":["container"],"event":{"die":true,"x":false}}')], [
    ['type', ['container']],
    ['event', ['die']],
  ]);
  assert.equal(parseEventFilters('').size, 0);
  assert.equal(parseEventFilters(null).size, 0);
  assert.throws(() => parseEventFilters('notjson'), EventFilterError);
  assert.throws(() => parseEventFilters('{"type":"container"}'), EventFilterError);
});

test('type and event are exact; values of one key are alternatives', () => {
  const e = ctr('start');
  assert.ok(match({}, e));
  assert.ok(match({ type: ['container'] }, e));
  assert.ok(!match({ type: ['image'] }, e));
  assert.ok(match({ type: ['image', 'container'] }, e));
  assert.ok(match({ event: ['die', 'start'] }, e));
  assert.ok(!match({ event: ['sta'] }, e));
  assert.ok(!match({ event: ['start'], type: ['image'] }, e), 'keys combine with AND');
});

test('health_status / exec_* match the action with its ": detail" suffix', () => {
  const e = ctr('health_status: healthy');
  assert.ok(match({ event: ['health_status'] }, e));
  assert.ok(match({ event: ['health_status: healthy'] }, e));
  assert.ok(!match({ event: ['health_status: unhealthy'] }, e));
  assert.ok(match({ event: ['exec_start'] }, ctr('exec_start: sh -c true')));
});

test('container= matches an ID prefix or a name prefix, and excludes other types', () => {
  const e = ctr('start');
  assert.ok(match({ container: ['a1b2'] }, e));
  assert.ok(match({ container: ['web'] }, e));
  assert.ok(match({ container: ['we'] }, e), 'dockerd matches name prefixes too');
  assert.ok(!match({ container: ['other'] }, e));
  assert.ok(!match({ container: ['web'] }, img('tag', 'busybox:latest')));
});

test('image= matches ID, name, and the name without tag, for container and image events', () => {
  assert.ok(match({ image: ['busybox'] }, ctr('start')));
  assert.ok(match({ image: ['busybox'] }, ctr('start', { image: 'busybox:latest' })));
  assert.ok(!match({ image: ['alpine'] }, ctr('start')));
  assert.ok(match({ image: ['busybox'] }, img('tag', 'busybox:latest')));
  assert.ok(match({ image: ['sha256:feedbeef'] }, img('untag', 'sha256:feedbeef')));
  assert.ok(match({ image: ['example.com:5000/app'] }, img('tag', 'example.com:5000/app:v2')));
});

test('label= needs every key (and value when given)', () => {
  const e = ctr('start', { foo: 'bar', a: 'b' });
  assert.ok(match({ label: ['foo'] }, e));
  assert.ok(match({ label: ['foo=bar', 'a=b'] }, e));
  assert.ok(!match({ label: ['foo=baz'] }, e));
  assert.ok(!match({ label: ['missing'] }, e));
});

test('volume=, network=, daemon= by ID or name; unknown keys ignored', () => {
  const v = bus.publish('volume', 'create', 'data', { driver: 'local' });
  const n = bus.publish('network', 'connect', 'net123', { name: 'front', type: 'bridge', container: 'a1b2' });
  const dmn = bus.publish('daemon', 'reload', 'DAEMONID', { name: 'host1' });
  assert.ok(match({ volume: ['data'] }, v));
  assert.ok(!match({ volume: ['other'] }, v));
  assert.ok(match({ network: ['front'] }, n));
  assert.ok(match({ network: ['net1'] }, n));
  assert.ok(match({ daemon: ['host1'] }, dmn));
  assert.ok(!match({ daemon: ['host2'] }, dmn));
  assert.ok(match({ bogus: ['x'] }, v));
  assert.ok(match({ scope: ['local'] }, v));
  assert.ok(!match({ scope: ['swarm'] }, v));
});

test('stripTag gives the familiar name', () => {
  assert.equal(stripTag('docker.io/library/busybox:latest'), 'busybox');
  assert.equal(stripTag('busybox:1.36'), 'busybox');
  assert.equal(stripTag('example.com:5000/team/app:v2'), 'example.com:5000/team/app');
  assert.equal(stripTag('app@sha256:abc'), 'app');
  assert.equal(stripTag('sha256:abc'), 'sha256:abc');
});
