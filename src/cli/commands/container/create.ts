// berth create
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe, runError } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';
import { CREATE_FLAGS, toCreateRequest } from './create-options.js';
import { createContainer } from './create-container.js';
import { pullImage } from '../image/pull.js';
import { parseReference } from '../../../oci/reference.js';

export const createCommand = defineCommand({
  name: 'create',
  usage: 'create [OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Create a new container',
  interspersed: false,
  args: { min: 1 },
  flags: CREATE_FLAGS,
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    let req;
    try {
      req = toCreateRequest(opts, args[0], args.slice(1), true, ctx.env, ctx.changed);
    } catch (err) {
      throw runError(err, ctx.commandPath);
    }
    const client = await ctx.getClient<EngineClient>();
    try {
      const id = await createContainer(client, req, (opts.name as string) || undefined, ctx.io.stderr, (ref) =>
        pullImage(ctx, client, parseReference(ref), { out: ctx.io.stderr }),
      );
      ctx.io.stdout.write(`${id}\n`);
      return 0;
    } catch (err) {
      // Unlike run, docker create reports daemon errors plainly and exits 1.
      throw new Error(describe(err));
    }
  },
});
