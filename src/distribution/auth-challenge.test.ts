import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChallenges } from './auth-challenge.js';

test('bearer challenges: scheme and names lowercased, quoted values unquoted', () => {
  const [c] = parseChallenges('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"');
  assert.deepEqual(c, {
    scheme: 'bearer',
    parameters: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' },
  });
});

test('basic, several challenges, unquoted values, escapes and error parameters', () => {
  assert.deepEqual(parseChallenges('Basic realm="basic-realm"'), [{ scheme: 'basic', parameters: { realm: 'basic-realm' } }]);
  const two = parseChallenges(['Basic realm=x', 'Bearer realm="r", error="insufficient_scope", error_description="a \\"b\\""']);
  assert.deepEqual(two.map((c) => c.scheme), ['basic', 'bearer']);
  assert.equal(two[1].parameters.error, 'insufficient_scope');
  assert.equal(two[1].parameters.error_description, 'a "b"');
  assert.deepEqual(parseChallenges('Basic realm="a", Bearer realm="b"').map((c) => c.parameters.realm), ['a', 'b']);
  assert.deepEqual(parseChallenges(undefined), []);
});
