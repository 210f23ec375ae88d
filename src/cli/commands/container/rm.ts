// berth rm
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { forEachArg } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';

export const rmCommand = defineCommand({
  name: 'rm',
  aliases: ['remove'],
  usage: 'rm [OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Remove one or more containers',
  args: { min: 1 },
  flags: [
    { name: 'force', short: 'f', type: 'bool', usage: 'Force the removal of a running container (uses SIGKILL)' },
    { name: 'link', short: 'l', type: 'bool', usage: 'Remove the specified link' },
    { name: 'volumes', short: 'v', type: 'bool', usage: 'Remove anonymous volumes associated with the container' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const client = await ctx.getClient<EngineClient>();
    return forEachArg(args, ctx.io.stderr, async (ref) => {
      await client.containerRemove(ref, { force: opts.force ? 1 : undefined, v: opts.volumes ? 1 : undefined });
      ctx.io.stdout.write(`${ref}\n`);
    });
  },
});
