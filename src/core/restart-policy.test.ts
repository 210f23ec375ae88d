import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextBackoff, restartPolicyError, shouldRestart, shouldStartOnBoot } from './restart-policy.js';

test('back-off starts at 100 ms, doubles, caps at a minute and resets after 10 s of running', () => {
  const seq: number[] = [];
  let t = 0;
  for (let i = 0; i < 12; i++) seq.push((t = nextBackoff(t, 50)));
  assert.deepEqual(seq.slice(0, 4), [100, 200, 400, 800]);
  assert.equal(seq[10], 60_000);
  assert.equal(seq[11], 60_000);
  assert.equal(nextBackoff(60_000, 10_000), 100);
  assert.equal(nextBackoff(3200, 9_999), 6400);
});

test('policies decide like Docker', () => {
  const base = { exitCode: 1, manuallyStopped: false, restartCount: 0 };
  assert.equal(shouldRestart({ ...base, policy: { Name: 'no', MaximumRetryCount: 0 } }), false);
  assert.equal(shouldRestart({ ...base, policy: undefined }), false);
  assert.equal(shouldRestart({ ...base, exitCode: 0, policy: { Name: 'always', MaximumRetryCount: 0 } }), true);
  assert.equal(shouldRestart({ ...base, exitCode: 0, policy: { Name: 'unless-stopped', MaximumRetryCount: 0 } }), true);
  assert.equal(shouldRestart({ ...base, manuallyStopped: true, policy: { Name: 'always', MaximumRetryCount: 0 } }), false);
  const onFailure2 = { Name: 'on-failure' as const, MaximumRetryCount: 2 };
  assert.equal(shouldRestart({ ...base, exitCode: 0, policy: onFailure2 }), false);
  assert.equal(shouldRestart({ ...base, restartCount: 1, policy: onFailure2 }), true);
  assert.equal(shouldRestart({ ...base, restartCount: 2, policy: onFailure2 }), false);
  assert.equal(shouldRestart({ ...base, restartCount: 99, policy: { Name: 'on-failure', MaximumRetryCount: 0 } }), true);
});

test('on start-up, always comes back even after a stop, unless-stopped only if not stopped', () => {
  const stopped = { exitCode: 137, manuallyStopped: true, restartCount: 0 };
  assert.equal(shouldStartOnBoot({ ...stopped, policy: { Name: 'always', MaximumRetryCount: 0 } }), true);
  assert.equal(shouldStartOnBoot({ ...stopped, policy: { Name: 'unless-stopped', MaximumRetryCount: 0 } }), false);
  assert.equal(shouldStartOnBoot({ ...stopped, manuallyStopped: false, policy: { Name: 'unless-stopped', MaximumRetryCount: 0 } }), true);
  assert.equal(shouldStartOnBoot({ ...stopped, policy: { Name: 'no', MaximumRetryCount: 0 } }), false);
});

test("validation uses Docker's messages", () => {
  assert.equal(restartPolicyError({ Name: 'bogus' as 'no', MaximumRetryCount: 0 }, false), "invalid restart policy 'bogus'");
  assert.equal(restartPolicyError({ Name: 'on-failure', MaximumRetryCount: -1 }, false), 'maximum retry count cannot be negative');
  assert.equal(restartPolicyError({ Name: 'always', MaximumRetryCount: 3 }, false), "maximum retry count cannot be used with restart policy 'always'");
  assert.equal(restartPolicyError({ Name: 'always', MaximumRetryCount: 0 }, true), "can't create 'AutoRemove' container with restart policy");
  assert.equal(restartPolicyError({ Name: 'no', MaximumRetryCount: 0 }, true), undefined);
  assert.equal(restartPolicyError({ Name: 'on-failure', MaximumRetryCount: 3 }, false), undefined);
});
