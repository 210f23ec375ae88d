// berth container prune
import type { EngineClient } from '../../../client/client.js';
import { humanSize } from '../../../api/units.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import { filtersJson } from '../../filter-flag.js';
import type { FlagValues } from '../../flags.js';
import { confirm } from '../../confirm.js';

export const containerPruneCommand = defineCommand({
  name: 'prune',
  usage: 'prune [OPTIONS]',
  short: 'Remove all stopped containers',
  args: { max: 0 },
  flags: [
    { name: 'filter', type: 'stringArray', valueName: 'filter', usage: 'Provide filter values (e.g. "until=<timestamp>")' },
    { name: 'force', short: 'f', type: 'bool', usage: 'Do not prompt for confirmation' },
  ],
  async run(ctx: CommandContext, opts: FlagValues) {
    const warning = 'WARNING! This will remove all stopped containers.';
    if (!opts.force && !(await confirm(ctx.io, warning))) return 0;
    const client = await ctx.getClient<EngineClient>();
    try {
      const r = await client.containerPrune({ filters: filtersJson(opts.filter as string[]) });
      if (r.ContainersDeleted?.length) {
        ctx.io.stdout.write(`Deleted Containers:\n${r.ContainersDeleted.join('\n')}\n\n`);
      }
      ctx.io.stdout.write(`Total reclaimed space: ${humanSize(r.SpaceReclaimed, 4)}\n`);
    } catch (err) {
      throw new Error(describe(err));
    }
  },
});
