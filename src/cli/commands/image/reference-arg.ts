// The NAME[:TAG] argument of pull and push, as the docker CLI reads it: -a wants a name without a tag;
// otherwise a name alone gets :latest, said once unless -q.
import { parseReference, withDefaultTag, type Reference } from '../../../oci/reference.js';
import type { CommandContext } from '../../command.js';

export function referenceArg(ctx: CommandContext, arg: string, all: boolean, quiet: boolean): Reference {
  const ref = parseReference(arg);
  const nameOnly = !ref.tag && !ref.digest;
  if (all && !nameOnly) throw new Error("tag can't be used with --all-tags/-a");
  if (all || !nameOnly) return ref;
  const tagged = withDefaultTag(ref);
  if (!quiet) ctx.io.stdout.write(`Using default tag: ${tagged.tag}\n`);
  return tagged;
}
