import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detachMatcher, parseDetachKeys } from './detach-keys.js';

test('detach keys: the default, ctrl- forms, single characters, and Docker\'s error', () => {
  assert.deepEqual([...parseDetachKeys(undefined)], [16, 17]);
  assert.deepEqual([...parseDetachKeys('ctrl-x,x')], [24, 120]);
  assert.deepEqual([...parseDetachKeys('ctrl-@,ctrl-[')], [0, 27]);
  assert.throws(() => parseDetachKeys('ctrl-1'), /^Error: Invalid detach keys \(ctrl-1\) provided$/);
});

test('the matcher holds back a partial sequence across chunks and flushes it when broken', () => {
  const m = detachMatcher(parseDetachKeys(undefined));
  assert.deepEqual(m(Buffer.from([97, 16])), { data: Buffer.from([97]), detached: false });
  assert.deepEqual(m(Buffer.from([98])), { data: Buffer.from([16, 98]), detached: false });
  assert.deepEqual(m(Buffer.from([16])), { data: Buffer.alloc(0), detached: false });
  assert.equal(m(Buffer.from([17])).detached, true);
});
