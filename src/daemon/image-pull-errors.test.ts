import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kindOf } from '../errdefs/errors.js';
import { RegistryError } from '../distribution/registry-errors.js';
import { parseReference, withDefaultTag } from '../oci/reference.js';
import { translatePullError } from './image-pull-errors.js';

const ref = withDefaultTag(parseReference('busybox'));

test("registry answers become dockerd's pull errors (distribution/errors.go)", () => {
  const denied = translatePullError(new RegistryError('DENIED', 'requested access to the resource is denied', 401), ref);
  assert.equal(kindOf(denied), 'NotFound');
  assert.equal(
    denied.message,
    "pull access denied for busybox, repository does not exist or may require 'docker login': denied: requested access to the resource is denied",
  );
  const unknown = translatePullError(new RegistryError('MANIFEST_UNKNOWN', 'manifest unknown', 404), ref);
  assert.equal(unknown.message, 'manifest for busybox:latest not found: manifest unknown: manifest unknown');
  const name = translatePullError(new RegistryError('NAME_UNKNOWN', 'repository name not known to registry', 404), ref);
  assert.equal(name.message, 'repository busybox not found: name unknown: repository name not known to registry');
  const other = translatePullError(new RegistryError('UNAUTHORIZED', 'authentication required', 401), ref);
  assert.equal(kindOf(other), 'Internal');
  assert.equal(other.message, 'unauthorized: authentication required');
});
