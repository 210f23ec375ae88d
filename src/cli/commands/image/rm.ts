// berth rmi / image rm
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { forEachArg } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';

export const rmiCommand = defineCommand({
  name: 'rm',
  aliases: ['rmi', 'remove'],
  usage: 'rm [OPTIONS] IMAGE [IMAGE...]',
  short: 'Remove one or more images',
  args: { min: 1 },
  flags: [
    { name: 'force', short: 'f', type: 'bool', usage: 'Force removal of the image' },
    { name: 'no-prune', type: 'bool', usage: 'Do not delete untagged parents' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const client = await ctx.getClient<EngineClient>();
    return forEachArg(args, ctx.io.stderr, async (ref) => {
      const items = await client.imageRemove(ref, { force: opts.force ? 1 : undefined, noprune: opts['no-prune'] ? 1 : undefined });
      for (const i of items) {
        if (i.Untagged) ctx.io.stdout.write(`Untagged: ${i.Untagged}\n`);
        if (i.Deleted) ctx.io.stdout.write(`Deleted: ${i.Deleted}\n`);
      }
    });
  },
});
