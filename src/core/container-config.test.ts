import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entrypointAndArgs, mergeConfig, mergeEnv } from './container-config.js';

const image = { Cmd: ['sh'], Env: ['PATH=/bin', 'A=1'], WorkingDir: '/app', Labels: { a: '1' } };

test('the image CMD is used when the user gives none', () => {
  const c = mergeConfig({}, image);
  assert.deepEqual(entrypointAndArgs(c), { path: 'sh', args: [] });
  assert.equal(c.WorkingDir, '/app');
});

test('a user command replaces the image CMD', () => {
  const c = mergeConfig({ Cmd: ['echo', 'hi'] }, image);
  assert.deepEqual(entrypointAndArgs(c), { path: 'echo', args: ['hi'] });
});

test('an image ENTRYPOINT gets the CMD appended, a user entrypoint drops the image CMD', () => {
  const img = { Entrypoint: ['/bin/echo'], Cmd: ['default'] };
  assert.deepEqual(entrypointAndArgs(mergeConfig({}, img)), { path: '/bin/echo', args: ['default'] });
  assert.deepEqual(entrypointAndArgs(mergeConfig({ Cmd: ['x'] }, img)), { path: '/bin/echo', args: ['x'] });
  assert.deepEqual(entrypointAndArgs(mergeConfig({ Entrypoint: ['ls'] }, img)), { path: 'ls', args: [] });
  // --entrypoint "" resets the entrypoint and keeps the image CMD.
  assert.deepEqual(entrypointAndArgs(mergeConfig({ Entrypoint: [] }, img)), { path: 'default', args: [] });
});

test('no command at all is a 400', () => {
  assert.throws(() => entrypointAndArgs(mergeConfig({}, {})), /No command specified/);
});

test('environment: user values override image values by key', () => {
  assert.deepEqual(mergeEnv(['PATH=/bin', 'A=1'], ['A=2', 'B=3']), ['PATH=/bin', 'A=2', 'B=3']);
  assert.deepEqual(mergeConfig({ Labels: { b: '2' } }, image).Labels, { a: '1', b: '2' });
});

test('health settings the user leaves out come from the image HEALTHCHECK, field by field', () => {
  const image = { Healthcheck: { Test: ['CMD-SHELL', 'true'], Interval: 30e9, Timeout: 5e9, Retries: 3 } };
  const partial = mergeConfig({ Cmd: ['sh'], Healthcheck: { Interval: 2e9, Timeout: 0, Retries: 0 } }, image);
  assert.deepEqual(partial.Healthcheck, { Test: ['CMD-SHELL', 'true'], Interval: 2e9, Timeout: 5e9, Retries: 3, StartPeriod: undefined, StartInterval: undefined });
  const none = mergeConfig({ Cmd: ['sh'], Healthcheck: { Test: ['NONE'] } }, image);
  assert.deepEqual(none.Healthcheck?.Test, ['NONE']);
  assert.deepEqual(mergeConfig({ Cmd: ['sh'] }, image).Healthcheck, image.Healthcheck);
});
