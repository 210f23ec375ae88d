// berth kill
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { forEachArg } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';

export const killCommand = defineCommand({
  name: 'kill',
  usage: 'kill [OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Kill one or more running containers',
  args: { min: 1 },
  flags: [{ name: 'signal', short: 's', type: 'string', usage: 'Signal to send to the container' }],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const client = await ctx.getClient<EngineClient>();
    return forEachArg(args, ctx.io.stderr, async (ref) => {
      await client.containerKill(ref, (opts.signal as string) || undefined);
      ctx.io.stdout.write(`${ref}\n`);
    });
  },
});
