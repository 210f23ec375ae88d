// berth unpause
import type { EngineClient } from '../../../client/client.js';
import { call } from '../../../client/transport.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { forEachArg } from '../../daemon-error.js';

export const unpauseCommand = defineCommand({
  name: 'unpause',
  usage: 'unpause CONTAINER [CONTAINER...]',
  short: 'Unpause all processes within one or more containers',
  args: { min: 1 },
  flags: [],
  async run(ctx: CommandContext, _opts: unknown, args: string[]) {
    const client = await ctx.getClient<EngineClient>();
    return forEachArg(args, ctx.io.stderr, async (ref) => {
      await call(client.ep, `/containers/${encodeURIComponent(ref)}/unpause`, { method: 'POST' });
      ctx.io.stdout.write(`${ref}\n`);
    });
  },
});
