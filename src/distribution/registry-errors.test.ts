import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorFromResponse, RegistryError } from './registry-errors.js';

const body = (o: unknown) => Buffer.from(JSON.stringify(o));

test('registry error bodies read as distribution reads them', () => {
  const e = errorFromResponse(404, {}, body({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown', detail: {} }] }));
  assert.ok(e instanceof RegistryError);
  assert.equal(e.message, 'manifest unknown: manifest unknown');
  assert.equal((e as RegistryError).code, 'MANIFEST_UNKNOWN');
  assert.equal(errorFromResponse(401, {}, body({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] })).message, 'unauthorized: authentication required');
  // Token servers' {"details": …}
  assert.equal(errorFromResponse(401, {}, body({ details: 'incorrect username or password' })).message, 'unauthorized: incorrect username or password');
});

test('bearer error parameters, 401 without a body, 5xx and garbage', () => {
  const denied = errorFromResponse(401, { 'www-authenticate': 'Bearer realm="r",error="insufficient_scope"' }, Buffer.alloc(0));
  assert.equal((denied as RegistryError).code, 'DENIED');
  assert.equal(denied.message, 'denied: requested access to the resource is denied');
  assert.equal(errorFromResponse(401, {}, Buffer.from('nope')).message, 'unauthorized: authentication required');
  assert.equal(errorFromResponse(500, {}, Buffer.from('x')).message, 'received unexpected HTTP status: 500 Internal Server Error');
  assert.equal(errorFromResponse(503, {}, Buffer.alloc(0)).message, 'received unexpected HTTP status: 503 Service Unavailable');
  assert.match(errorFromResponse(404, {}, Buffer.from('<html>')).message, /^error parsing HTTP 404 response body: .*"<html>"$/);
  assert.match(errorFromResponse(400, {}, body({ errors: [] })).message, /no error details found/);
});
