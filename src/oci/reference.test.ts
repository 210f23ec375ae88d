import { test } from 'node:test';
import assert from 'node:assert/strict';
import { familiarName, fullName, parseReference, withDefaultTag } from './reference.js';

test('official images normalise to docker.io/library', () => {
  const r = withDefaultTag(parseReference('busybox'));
  assert.equal(fullName(r), 'docker.io/library/busybox:latest');
  assert.equal(familiarName(r), 'busybox:latest');
});

test('user repos, registries with ports and digests', () => {
  assert.equal(fullName(parseReference('user/app:v1')), 'docker.io/user/app:v1');
  const r = parseReference('localhost:5000/org/app:tag');
  assert.deepEqual([r.domain, r.path, r.tag], ['localhost:5000', 'org/app', 'tag']);
  assert.equal(familiarName(r), 'localhost:5000/org/app:tag');
  const d = parseReference(`busybox@sha256:${'a'.repeat(64)}`);
  assert.equal(d.digest, `sha256:${'a'.repeat(64)}`);
  assert.equal(d.tag, undefined);
});

test('invalid references are refused with Docker wording', () => {
  assert.throws(() => parseReference('Busybox'), /must be lowercase/);
  assert.throws(() => parseReference('a b'), /invalid reference format/);
  assert.throws(() => parseReference('x:-bad'), /invalid reference format/);
});
