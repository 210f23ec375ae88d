// berth system prune: stopped containers, then unused images (what exists so far).
import { humanSize } from '../../../api/units.js';
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { confirm } from '../../confirm.js';
import { describe } from '../../daemon-error.js';
import { filtersJson } from '../../filter-flag.js';
import type { FlagValues } from '../../flags.js';

export const systemPruneCommand = defineCommand({
  name: 'prune',
  usage: 'prune [OPTIONS]',
  short: 'Remove unused data',
  args: { max: 0 },
  flags: [
    { name: 'all', short: 'a', type: 'bool', usage: 'Remove all unused images not just dangling ones' },
    { name: 'filter', type: 'stringArray', valueName: 'filter', usage: 'Provide filter values (e.g. "label=<key>=<value>")' },
    { name: 'force', short: 'f', type: 'bool', usage: 'Do not prompt for confirmation' },
    { name: 'volumes', type: 'bool', usage: 'Prune anonymous volumes' },
  ],
  async run(ctx: CommandContext, opts: FlagValues) {
    const warning = [
      'WARNING! This will remove:',
      '  - all stopped containers',
      opts.all ? '  - all images without at least one container associated to them' : '  - all dangling images',
    ].join('\n');
    if (!opts.force && !(await confirm(ctx.io, warning))) return 0;
    const client = await ctx.getClient<EngineClient>();
    const filter = opts.filter as string[];
    try {
      const c = await client.containerPrune({ filters: filtersJson(filter) });
      if (c.ContainersDeleted?.length) ctx.io.stdout.write(`Deleted Containers:\n${c.ContainersDeleted.join('\n')}\n\n`);
      const i = await client.imagePrune({ filters: filtersJson(filter, opts.all ? { dangling: ['false'] } : {}) });
      if (i.ImagesDeleted?.length) {
        const lines = i.ImagesDeleted.map((x) => (x.Untagged ? `untagged: ${x.Untagged}` : `deleted: ${x.Deleted}`));
        ctx.io.stdout.write(`Deleted Images:\n${lines.join('\n')}\n\n`);
      }
      ctx.io.stdout.write(`Total reclaimed space: ${humanSize(c.SpaceReclaimed + i.SpaceReclaimed, 4)}\n`);
    } catch (err) {
      throw new Error(describe(err));
    }
  },
});
