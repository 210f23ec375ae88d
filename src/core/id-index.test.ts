import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findByPrefix } from './id-index.js';

test('finds unique prefixes, exact matches win, ambiguity is an error', () => {
  const ids = ['abc123', 'abd456', 'abc'];
  assert.equal(findByPrefix(ids, 'abd'), 'abd456');
  assert.equal(findByPrefix(ids, 'abc'), 'abc');
  assert.equal(findByPrefix(ids, 'zz'), undefined);
  assert.throws(() => findByPrefix(['abc1', 'abc2'], 'abc'), /multiple IDs found with provided prefix: abc/);
});
