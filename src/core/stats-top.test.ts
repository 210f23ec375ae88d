import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePsOutput, psPidsArg, validatePsArgs } from './stats-top.js';

const PS = `UID          PID    PPID  C STIME TTY          TIME CMD
root           1       0  0 10:00 ?        00:00:01 /sbin/init
root         200     100  0 10:01 ?        00:00:00 sh -c while true; do sleep 1; done
root         201     200  0 10:01 ?        00:00:00 sleep 1
`;

test('parsePsOutput keeps the container pids and joins the last column', () => {
  const r = parsePsOutput(PS, [200, 201]);
  assert.deepEqual(r.Titles, ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD']);
  assert.deepEqual(r.Processes, [
    ['root', '200', '100', '0', '10:01', '?', '00:00:00', 'sh -c while true; do sleep 1; done'],
    ['root', '201', '200', '0', '10:01', '?', '00:00:00', 'sleep 1'],
  ]);
});

test('thread rows (PID "-") follow their process', () => {
  const out = 'PID TID CMD\n200 - sh\n- 200 -\n300 - other\n- 300 -\n';
  assert.deepEqual(parsePsOutput(out, [200]).Processes, [['200', '-', 'sh'], ['-', '200', '-']]);
});

test('no PID column, ps argument checks', () => {
  assert.throws(() => parsePsOutput('USER CMD\nroot sh\n', [1]), /Couldn't find PID field in ps output/);
  assert.throws(() => validatePsArgs('-o user=PID'), /specifying "user=PID" is not allowed/);
  validatePsArgs('-o pid=PID');
  validatePsArgs('-ef');
  assert.equal(psPidsArg([1, 2, 3]), '-q1,2,3');
});
