// Registry failures in dockerd's words (distribution/errors.go translatePullError): a denied
// repository or an unknown manifest/name is a 404 naming the image; everything else is a 500.
import { BerthError, internal, notFound } from '../errdefs/errors.js';
import { RegistryError } from '../distribution/registry-errors.js';
import { familiarName, familiarRepository, type Reference } from '../oci/reference.js';

export function translatePullError(err: unknown, ref: Reference): Error {
  if (err instanceof BerthError) return err;
  if (err instanceof RegistryError) {
    switch (err.code) {
      case 'DENIED':
        return notFound(
          `pull access denied for ${familiarRepository(ref)}, repository does not exist or may require 'docker login': ${err.message}`,
        );
      case 'MANIFEST_UNKNOWN':
        return notFound(`manifest for ${familiarName(ref)} not found: ${err.message}`);
      case 'NAME_UNKNOWN':
        return notFound(`repository ${familiarRepository(ref)} not found: ${err.message}`);
    }
  }
  return internal((err as Error).message ?? String(err), err);
}
