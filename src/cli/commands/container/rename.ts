// berth rename
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';

export const renameCommand = defineCommand({
  name: 'rename',
  usage: 'rename CONTAINER NEW_NAME',
  short: 'Rename a container',
  args: { exact: 2 },
  flags: [],
  async run(ctx: CommandContext, _opts, args: string[]) {
    const client = await ctx.getClient<EngineClient>();
    const [oldName, newName] = args.map((a) => a.trim());
    if (!oldName || !newName) throw new Error('Error: Neither old nor new names may be empty');
    try {
      await client.containerRename(oldName, newName);
    } catch (err) {
      throw new Error(`${describe(err)}\nError: failed to rename container named ${oldName}`);
    }
  },
});
