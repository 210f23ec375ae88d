import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runtimeCreateMessage } from './conmon-runtime.js';

test('runc create errors keep runc\'s message in Docker\'s wording', () => {
  const raw = 'time="2026-11-22T12:24:07Z" level=error msg="runc create failed: unable to start container process: exec: \\"nope\\": executable file not found in $PATH"\n';
  assert.equal(
    runtimeCreateMessage(raw),
    'failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown',
  );
});
