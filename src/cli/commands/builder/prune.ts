// berth builder prune [-a] [-f] [--filter until=…] [--keep-storage …]
import { humanSize } from '../../../api/units.js';
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { confirm } from '../../confirm.js';
import { describe } from '../../daemon-error.js';
import { filtersJson } from '../../filter-flag.js';
import type { FlagValues } from '../../flags.js';

export const builderPruneCommand = defineCommand({
  name: 'prune',
  usage: 'prune',
  short: 'Remove build cache',
  args: { max: 0 },
  flags: [
    { name: 'all', short: 'a', type: 'bool', usage: 'Remove all unused build cache, not just dangling ones' },
    { name: 'filter', type: 'stringArray', valueName: 'filter', usage: 'Provide filter values (e.g. "until=24h")' },
    { name: 'force', short: 'f', type: 'bool', usage: 'Do not prompt for confirmation' },
    { name: 'keep-storage', type: 'bytes', usage: 'Amount of disk space to keep for cache' },
  ],
  async run(ctx: CommandContext, opts: FlagValues) {
    const warning = opts.all ? 'WARNING! This will remove all build cache.' : 'WARNING! This will remove all dangling build cache.';
    if (!opts.force && !(await confirm(ctx.io, warning))) return 0;
    const client = await ctx.getClient<EngineClient>();
    try {
      const r = await client.builderPrune({
        all: opts.all ? '1' : undefined,
        filters: filtersJson(opts.filter as string[]),
        'keep-storage': (opts['keep-storage'] as number) ? String(opts['keep-storage']) : undefined,
      });
      if (r.CachesDeleted?.length) ctx.io.stdout.write(`Deleted build cache objects:\n${r.CachesDeleted.join('\n')}\n\n`);
      ctx.io.stdout.write(`Total reclaimed space: ${humanSize(r.SpaceReclaimed, 4)}\n`);
    } catch (err) {
      throw new Error(describe(err));
    }
  },
});
