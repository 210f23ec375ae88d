// berth tag SOURCE TARGET
import { splitRepoTag } from '../../split-reference.js';
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';

export const tagCommand = defineCommand({
  name: 'tag',
  usage: 'tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  short: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  args: { exact: 2 },
  flags: [],
  async run(ctx: CommandContext, _opts, args: string[]) {
    const client = await ctx.getClient<EngineClient>();
    const { repo, tag } = splitRepoTag(args[1]);
    try {
      await client.imageTag(args[0], repo ?? '', tag);
    } catch (err) {
      throw new Error(describe(err));
    }
  },
});
