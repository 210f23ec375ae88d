// berth stop
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { forEachArg } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';

export const stopCommand = defineCommand({
  name: 'stop',
  usage: 'stop [OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Stop one or more running containers',
  args: { min: 1 },
  flags: [
    { name: 'signal', short: 's', type: 'string', usage: 'Signal to send to the container' },
    { name: 'timeout', short: 't', type: 'int', usage: 'Seconds to wait before killing the container', defaultText: '' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const client = await ctx.getClient<EngineClient>();
    const query = { signal: (opts.signal as string) || undefined, t: ctx.changed.has('timeout') ? (opts.timeout as number) : undefined };
    return forEachArg(args, ctx.io.stderr, async (ref) => {
      await client.containerStop(ref, query);
      ctx.io.stdout.write(`${ref}\n`);
    });
  },
});
