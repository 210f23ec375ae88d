// berth wait
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { forEachArg } from '../../daemon-error.js';

export const waitCommand = defineCommand({
  name: 'wait',
  usage: 'wait CONTAINER [CONTAINER...]',
  short: 'Block until one or more containers stop, then print their exit codes',
  args: { min: 1 },
  flags: [],
  async run(ctx: CommandContext, _opts, args: string[]) {
    const client = await ctx.getClient<EngineClient>();
    return forEachArg(args, ctx.io.stderr, async (ref) => {
      const r = await client.containerWait(ref, 'not-running');
      ctx.io.stdout.write(`${r.StatusCode}\n`);
    });
  },
});
