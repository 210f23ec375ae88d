import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frame, FrameDecoder, STDERR, STDOUT } from './stdcopy.js';

test('frames round-trip through the decoder even when split mid-header', () => {
  const bytes = Buffer.concat([frame(STDOUT, Buffer.from('hello\n')), frame(STDERR, Buffer.from('oops'))]);
  assert.deepEqual([...bytes.subarray(0, 8)], [1, 0, 0, 0, 0, 0, 0, 6]);
  const d = new FrameDecoder();
  const got = [...d.push(bytes.subarray(0, 5)), ...d.push(bytes.subarray(5, 17)), ...d.push(bytes.subarray(17))];
  assert.deepEqual(
    got.map((f) => [f.stream, f.data.toString()]),
    [[1, 'hello\n'], [2, 'oops']],
  );
});
