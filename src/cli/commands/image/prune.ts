// berth image prune
import { humanSize } from '../../../api/units.js';
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { confirm } from '../../confirm.js';
import { describe } from '../../daemon-error.js';
import { filtersJson } from '../../filter-flag.js';
import type { FlagValues } from '../../flags.js';

export const imagePruneCommand = defineCommand({
  name: 'prune',
  usage: 'prune [OPTIONS]',
  short: 'Remove unused images',
  args: { max: 0 },
  flags: [
    { name: 'all', short: 'a', type: 'bool', usage: 'Remove all unused images, not just dangling ones' },
    { name: 'filter', type: 'stringArray', valueName: 'filter', usage: 'Provide filter values (e.g. "until=<timestamp>")' },
    { name: 'force', short: 'f', type: 'bool', usage: 'Do not prompt for confirmation' },
  ],
  async run(ctx: CommandContext, opts: FlagValues) {
    const warning = opts.all
      ? 'WARNING! This will remove all images without at least one container associated to them.'
      : 'WARNING! This will remove all dangling images.';
    if (!opts.force && !(await confirm(ctx.io, warning))) return 0;
    const client = await ctx.getClient<EngineClient>();
    try {
      const r = await client.imagePrune({ filters: filtersJson(opts.filter as string[], opts.all ? { dangling: ['false'] } : {}) });
      if (r.ImagesDeleted?.length) {
        const lines = r.ImagesDeleted.map((i) => (i.Untagged ? `untagged: ${i.Untagged}` : `deleted: ${i.Deleted}`));
        ctx.io.stdout.write(`Deleted Images:\n${lines.join('\n')}\n\n`);
      }
      ctx.io.stdout.write(`Total reclaimed space: ${humanSize(r.SpaceReclaimed, 4)}\n`);
    } catch (err) {
      throw new Error(describe(err));
    }
  },
});
