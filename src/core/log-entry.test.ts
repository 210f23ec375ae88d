import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatNanos, parseLogLine } from './log-entry.js';

test('parses conmon k8s-file lines, keeping spaces in the text', () => {
  const e = parseLogLine('2026-11-22T12:20:43.110639020+00:00 stdout F hello  world ')!;
  assert.equal(e.stream, 'stdout');
  assert.equal(e.partial, false);
  assert.equal(e.text, 'hello  world ');
  assert.equal(formatNanos(e.timeNs), '2026-11-22T12:20:43.110639020Z');
  assert.equal(parseLogLine('2026-11-22T12:20:43.1+02:00 stderr P ')!.partial, true);
  assert.equal(formatNanos(parseLogLine('2026-11-22T12:20:43.1+02:00 stderr P x')!.timeNs), '2026-11-22T10:20:43.100000000Z');
  assert.equal(parseLogLine('garbage'), undefined);
});
