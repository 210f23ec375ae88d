import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitRepoTag } from './split-reference.js';

test('repo and tag split at the last colon after the last slash', () => {
  assert.deepEqual(splitRepoTag('busybox:1.36'), { repo: 'busybox', tag: '1.36' });
  assert.deepEqual(splitRepoTag('localhost:5000/app'), { repo: 'localhost:5000/app' });
  assert.deepEqual(splitRepoTag('localhost:5000/app:v2'), { repo: 'localhost:5000/app', tag: 'v2' });
  assert.deepEqual(splitRepoTag(undefined), {});
});
