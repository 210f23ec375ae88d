import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kindOf } from '../errdefs/errors.js';
import { familiarName, fullName, parseReference, withDefaultTag, withTagOrDigest } from './reference.js';

const HEX = 'a'.repeat(64);
const D = `sha256:${HEX}`;

// input → [full name after TagNameOnly, familiar name] (distribution/reference's normalisation).
const VALID: Array<[string, string, string]> = [
  ['busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
  ['busybox:1.36', 'docker.io/library/busybox:1.36', 'busybox:1.36'],
  ['library/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
  ['docker.io/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
  ['index.docker.io/busybox', 'docker.io/library/busybox:latest', 'busybox:latest'],
  ['index.docker.io/library/busybox:tag', 'docker.io/library/busybox:tag', 'busybox:tag'],
  ['user/app', 'docker.io/user/app:latest', 'user/app:latest'],
  ['user/app:v1', 'docker.io/user/app:v1', 'user/app:v1'],
  ['docker.io/user/app/sub', 'docker.io/user/app/sub:latest', 'user/app/sub:latest'],
  ['docker.io/library/foo/bar', 'docker.io/library/foo/bar:latest', 'library/foo/bar:latest'],
  ['registry.example.com:5000/org/app:tag', 'registry.example.com:5000/org/app:tag', 'registry.example.com:5000/org/app:tag'],
  ['localhost/foo', 'localhost/foo:latest', 'localhost/foo:latest'],
  ['localhost:5000/x', 'localhost:5000/x:latest', 'localhost:5000/x:latest'],
  ['127.0.0.1:5000/x/y:1', '127.0.0.1:5000/x/y:1', '127.0.0.1:5000/x/y:1'],
  ['[::1]:5000/foo', '[::1]:5000/foo:latest', '[::1]:5000/foo:latest'],
  ['xn--n3h.com/myimage', 'xn--n3h.com/myimage:latest', 'xn--n3h.com/myimage:latest'],
  ['sub-dom1.foo.com/bar/baz/quux', 'sub-dom1.foo.com/bar/baz/quux:latest', 'sub-dom1.foo.com/bar/baz/quux:latest'],
  // An uppercase first component is a registry host, not a repository.
  ['Foo/bar', 'Foo/bar:latest', 'Foo/bar:latest'],
  ['lowercase:Uppercase', 'docker.io/library/lowercase:Uppercase', 'lowercase:Uppercase'],
  ['foo_bar/a__b/c-d/e.f/g--h', 'docker.io/foo_bar/a__b/c-d/e.f/g--h:latest', 'foo_bar/a__b/c-d/e.f/g--h:latest'],
  [`busybox@${D}`, `docker.io/library/busybox@${D}`, `busybox@${D}`],
  [`busybox:latest@${D}`, `docker.io/library/busybox:latest@${D}`, `busybox:latest@${D}`],
  [`example.com:5000/a@${D}`, `example.com:5000/a@${D}`, `example.com:5000/a@${D}`],
  [`busybox@sha512:${'b'.repeat(128)}`, `docker.io/library/busybox@sha512:${'b'.repeat(128)}`, `busybox@sha512:${'b'.repeat(128)}`],
  [`busybox:${'t'.repeat(128)}`, `docker.io/library/busybox:${'t'.repeat(128)}`, `busybox:${'t'.repeat(128)}`],
  // Only the bare 64-hex string is refused as a name; with a namespace it is a repository.
  [`library/${HEX}`, `docker.io/library/${HEX}:latest`, `${HEX}:latest`],
  // The 255-character limit is on the path (library/ included), not on the domain.
  ['a'.repeat(247), `docker.io/library/${'a'.repeat(247)}:latest`, `${'a'.repeat(247)}:latest`],
];

// input → Docker's error text (the docker CLI v28 prints exactly these).
const INVALID: Array<[string, string]> = [
  ['', 'invalid reference format'],
  [':foo', 'invalid reference format'],
  ['a b', 'invalid reference format'],
  ['a//b', 'invalid reference format'],
  ['busybox:-x', 'invalid reference format'],
  [`busybox:${'t'.repeat(129)}`, 'invalid reference format'],
  ['a___b', 'invalid reference format'],
  ['foo..bar', 'invalid reference format'],
  ['foo-', 'invalid reference format'],
  ['-foo', 'invalid reference format'],
  ['foo_bar.com:8080/a', 'invalid reference format'],
  ['[fe80::1%eth0]:5000/foo', 'invalid reference format'],
  ['busybox@sha256:abc', 'invalid reference format'],
  [`busybox@sha256:${'a'.repeat(63)}`, 'invalid checksum digest length'],
  [`busybox:latest@sha256:${'a'.repeat(65)}`, 'invalid checksum digest length'],
  [`busybox@sha256:${'A'.repeat(64)}`, 'invalid checksum digest format'],
  [`busybox@md5:${'a'.repeat(32)}`, 'unsupported digest algorithm'],
  ['Busybox', 'invalid reference format: repository name (library/Busybox) must be lowercase'],
  ['localhost:5000/Foo', 'invalid reference format: repository name (Foo) must be lowercase'],
  ['test:5000/Uppercase/lowercase:tag', 'invalid reference format: repository name (Uppercase/lowercase) must be lowercase'],
  [HEX, `invalid repository name (${HEX}), cannot specify 64-byte hexadecimal strings`],
  ['a'.repeat(248), 'repository name must not be more than 255 characters'],
  [`x/${'a'.repeat(254)}`, 'repository name must not be more than 255 characters'],
];

for (const [input, full, familiar] of VALID) {
  test(`parseReference(${JSON.stringify(input.length > 60 ? `${input.slice(0, 60)}…` : input)}) normalises`, () => {
    const ref = withDefaultTag(parseReference(input));
    assert.equal(fullName(ref), full);
    assert.equal(familiarName(ref), familiar);
  });
}

for (const [input, message] of INVALID) {
  test(`parseReference(${JSON.stringify(input.length > 60 ? `${input.slice(0, 60)}…` : input)}) is refused`, () => {
    assert.throws(
      () => parseReference(input),
      (err: Error) => {
        assert.equal(err.message, message);
        assert.equal(kindOf(err), 'InvalidArgument');
        return true;
      },
    );
  });
}

test('the parts of a reference', () => {
  const r = parseReference('localhost:5000/org/app:tag');
  assert.deepEqual([r.domain, r.path, r.tag, r.digest], ['localhost:5000', 'org/app', 'tag', undefined]);
  const d = parseReference(`busybox@${D}`);
  assert.deepEqual([d.domain, d.path, d.tag, d.digest], ['docker.io', 'library/busybox', undefined, D]);
});

test('the API tag parameter may carry a digest (moby httputils)', () => {
  const base = parseReference('127.0.0.1:5000/x');
  assert.equal(fullName(withTagOrDigest(base, 'v2')), '127.0.0.1:5000/x:v2');
  assert.equal(fullName(withTagOrDigest(base, D)), `127.0.0.1:5000/x@${D}`);
  assert.equal(withTagOrDigest(base, undefined), base);
  assert.throws(() => withTagOrDigest(base, '-bad'), /^Error: invalid tag format$|invalid tag format/);
});
