import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Router, splitVersion } from './router.js';

const h = async () => {};

test('routes match params, greedy image names and HEAD as GET', () => {
  const r = new Router()
    .add('GET', '/containers/{id}/json', h)
    .add('GET', '/images/{name*}/json', h)
    .add('DELETE', '/images/{name*}', h);
  const m = r.match('GET', '/containers/abc/json');
  assert.ok(m && m !== 'method');
  assert.deepEqual(m.params, { id: 'abc' });
  const img = r.match('GET', '/images/localhost:5000/org/app:v1/json');
  assert.ok(img && img !== 'method');
  assert.deepEqual(img.params, { name: 'localhost:5000/org/app:v1' });
  const del = r.match('DELETE', '/images/busybox:latest');
  assert.ok(del && del !== 'method');
  assert.deepEqual(del.params, { name: 'busybox:latest' });
  assert.ok(r.match('HEAD', '/containers/x/json'));
  assert.equal(r.match('POST', '/containers/x/json'), 'method');
  assert.equal(r.match('GET', '/nope'), undefined);
});

test('version prefixes are split off', () => {
  assert.deepEqual(splitVersion('/v1.51/containers/json'), { version: '1.51', path: '/containers/json' });
  assert.deepEqual(splitVersion('/_ping'), { path: '/_ping' });
});
