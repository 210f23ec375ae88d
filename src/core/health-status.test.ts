import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyProbeResult, nextProbeDelay, healthConfigError, healthSettings, healthSuffix, initialHealth, trimOutput } from './health-status.js';

const entry = (code: number) => ({ Start: 's', End: 'e', ExitCode: code, Output: 'x' });

test('settings: defaults, CMD-SHELL through the shell, NONE disables', () => {
  assert.deepEqual(healthSettings({ Test: ['CMD-SHELL', 'test -f /ok'] }, null), {
    argv: ['/bin/sh', '-c', 'test -f /ok'], intervalMs: 30_000, timeoutMs: 30_000, startPeriodMs: 0, startIntervalMs: 0, retries: 3,
  });
  assert.deepEqual(healthSettings({ Test: ['CMD', 'true'], Interval: 200e6, Retries: 1 }, null)?.argv, ['true']);
  assert.equal(healthSettings({ Test: ['CMD', 'true'], Interval: 200e6 }, null)?.intervalMs, 200);
  assert.equal(healthSettings({ Test: ['NONE'] }, null), undefined);
  assert.equal(healthSettings(undefined, null), undefined);
  assert.deepEqual(healthSettings({ Test: ['CMD-SHELL', 'x'] }, ['/bin/ash', '-c'])?.argv, ['/bin/ash', '-c', 'x']);
});

test('probe results: healthy on success, unhealthy after Retries failures, start period forgives', () => {
  const s = { retries: 2, startPeriodMs: 1000 };
  let h = initialHealth();
  h = applyProbeResult(h, entry(1), s, 500);
  assert.deepEqual([h.Status, h.FailingStreak], ['starting', 0]);
  h = applyProbeResult(h, entry(1), s, 1500);
  assert.deepEqual([h.Status, h.FailingStreak], ['starting', 1]);
  h = applyProbeResult(h, entry(0), s, 1600);
  assert.deepEqual([h.Status, h.FailingStreak], ['healthy', 0]);
  h = applyProbeResult(h, entry(1), s, 1700);
  assert.deepEqual([h.Status, h.FailingStreak], ['healthy', 1]);
  h = applyProbeResult(h, entry(1), s, 1800);
  assert.deepEqual([h.Status, h.FailingStreak], ['unhealthy', 2]);
  for (let i = 0; i < 10; i++) h = applyProbeResult(h, entry(1), s, 2000);
  assert.equal(h.Log.length, 5);
  assert.equal(h.FailingStreak, 12);
});

test('output is trimmed to 4 KiB; ps suffixes; create-time checks', () => {
  assert.equal(trimOutput('a'.repeat(5000)).length, 4096);
  assert.equal(healthSuffix('starting'), ' (health: starting)');
  assert.equal(healthSuffix('healthy'), ' (healthy)');
  assert.equal(healthSuffix(undefined), '');
  assert.equal(healthConfigError({ Interval: 100 }), 'Interval in Healthcheck cannot be less than 1ms');
  assert.equal(healthConfigError({ Retries: -1 }), 'Retries in Healthcheck cannot be negative');
  assert.equal(healthConfigError({ Interval: 0, Timeout: 1e6 }), undefined);
});

test('StartInterval applies only while starting inside the start period', () => {
  const s = healthSettings({ Test: ['CMD', 'true'], Interval: 1e9, StartPeriod: 10e9, StartInterval: 100e6 }, null)!;
  assert.equal(nextProbeDelay(s, 'starting', 500), 100);
  assert.equal(nextProbeDelay(s, 'starting', 10_500), 1000);
  assert.equal(nextProbeDelay(s, 'healthy', 500), 1000);
  const plain = healthSettings({ Test: ['CMD', 'true'], Interval: 1e9, StartPeriod: 10e9 }, null)!;
  assert.equal(nextProbeDelay(plain, 'starting', 500), 1000);
});
