import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chainIds, isDigest, sha256 } from './digest.js';

test('sha256 digests are prefixed hex', () => {
  assert.equal(sha256(''), 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.ok(isDigest(sha256('x')));
  assert.ok(!isDigest('sha256:abc'));
});

test('chain IDs follow the OCI recurrence', () => {
  const a = sha256('a');
  const b = sha256('b');
  const [c1, c2] = chainIds([a, b]);
  assert.equal(c1, a);
  assert.equal(c2, sha256(`${a} ${b}`));
});
