import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomName, validateName } from './container-names.js';

test('names are validated with Docker\'s message and get a leading slash', () => {
  assert.equal(validateName('web-1'), '/web-1');
  assert.throws(() => validateName('-bad'), /Invalid container name \(-bad\), only \[a-zA-Z0-9\]\[a-zA-Z0-9_.-\] are allowed/);
  assert.throws(() => validateName('a'), /Invalid container name/);
});

test('random names look like adjective_surname and avoid taken ones', () => {
  const n = randomName(() => false);
  assert.match(n, /^\/[a-z]+_[a-z]+$/);
  let calls = 0;
  const m = randomName(() => ++calls === 1);
  assert.match(m, /^\/[a-z]+_[a-z]+\d$/);
});
