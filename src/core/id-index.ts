// Find objects by full ID, unique ID prefix or name, as Docker's truncindex.
import { BerthError, invalidArgument } from '../errdefs/errors.js';

export class AmbiguousPrefixError extends BerthError {
  constructor(prefix: string) {
    super('InvalidArgument', `multiple IDs found with provided prefix: ${prefix}`);
  }
}

/** Returns the one ID starting with `prefix`, undefined for none, throws when ambiguous. */
export function findByPrefix(ids: Iterable<string>, prefix: string): string | undefined {
  if (!prefix) throw invalidArgument('prefix can\'t be empty');
  let found: string | undefined;
  for (const id of ids) {
    if (!id.startsWith(prefix)) continue;
    if (id === prefix) return id;
    if (found !== undefined) throw new AmbiguousPrefixError(prefix);
    found = id;
  }
  return found;
}
