import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEventTime } from './events.js';

test('since/until: Unix seconds with a fraction, RFC 3339, empty', () => {
  assert.equal(parseEventTime(null), 0n);
  assert.equal(parseEventTime(''), 0n);
  assert.equal(parseEventTime('1700000000'), 1_700_000_000_000_000_000n);
  assert.equal(parseEventTime('1700000000.5'), 1_700_000_000_500_000_000n);
  assert.equal(parseEventTime('1700000000.123456789'), 1_700_000_000_123_456_789n);
  assert.equal(parseEventTime('2023-11-14T22:13:20Z'), 1_700_000_000_000_000_000n);
  assert.equal(parseEventTime('2023-11-14T23:13:20.25+01:00'), 1_700_000_000_250_000_000n);
  assert.throws(() => parseEventTime('abc'), /strconv.ParseInt: parsing "abc": invalid syntax/);
});
