import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatHealthcheck, goDuration, goQuoteSlice, goSlice, withCmdComment, withCmdCommentString } from './run-config.js';

test('goDuration prints as Go\'s time.Duration', () => {
  assert.equal(goDuration(0), '0s');
  assert.equal(goDuration(5e9), '5s');
  assert.equal(goDuration(1.5e9), '1.5s');
  assert.equal(goDuration(90e9), '1m30s');
  assert.equal(goDuration(3600e9), '1h0m0s');
  assert.equal(goDuration(100e6), '100ms');
  assert.equal(goDuration(1500), '1.5µs');
});

test('history texts: HEALTHCHECK as Docker 20.10 prints its %q, CMD %q and VOLUME %v', () => {
  assert.equal(formatHealthcheck({ Test: ['CMD-SHELL', 'true'], Interval: 5e9 }), `&{["CMD-SHELL" "true"] "5s" "0s" "0s" '\\x00'}`);
  assert.equal(formatHealthcheck({ Test: ['CMD', 'a b'], Retries: 65 }), `&{["CMD" "a b"] "0s" "0s" "0s" 'A'}`);
  assert.equal(goQuoteSlice(['sh', '-c', 'echo "x"']), '["sh" "-c" "echo \\"x\\""]');
  assert.equal(goQuoteSlice(null), '[]');
  assert.equal(goSlice(['/a', '/b']), '[/a /b]');
});

test('nop comments: two arguments for most steps, one for WORKDIR/COPY/ADD, under the SHELL in force', () => {
  assert.deepEqual(withCmdComment({}, 'ENV A=1').Cmd, ['/bin/sh', '-c', '#(nop) ', 'ENV A=1']);
  assert.deepEqual(withCmdCommentString({ Shell: ['/bin/bash', '-xc'] }, 'WORKDIR /x').Cmd, ['/bin/bash', '-xc', '#(nop) WORKDIR /x']);
});
