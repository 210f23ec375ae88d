// berth ps / container ls
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import { filtersJson } from '../../filter-flag.js';
import type { FlagValues } from '../../flags.js';
import { containerRow, PS_DEFAULT_FORMAT, PS_HEADERS } from '../../format/container-row.js';
import { formatRows } from '../../format/formatter.js';

export const psCommand = defineCommand({
  name: 'ls',
  aliases: ['ps', 'list'],
  usage: 'ls [OPTIONS]',
  short: 'List containers',
  args: { max: 0 },
  flags: [
    { name: 'all', short: 'a', type: 'bool', usage: 'Show all containers (default shows just running)' },
    { name: 'filter', short: 'f', type: 'stringArray', valueName: 'filter', usage: 'Filter output based on conditions provided' },
    { name: 'format', type: 'string', usage: 'Format output using a custom template' },
    { name: 'last', short: 'n', type: 'int', default: -1, usage: 'Show n last created containers (includes all states)' },
    { name: 'latest', short: 'l', type: 'bool', usage: 'Show the latest created container (includes all states)' },
    { name: 'no-trunc', type: 'bool', usage: "Don't truncate output" },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Only display container IDs' },
    { name: 'size', short: 's', type: 'bool', usage: 'Display total file sizes' },
  ],
  async run(ctx: CommandContext, opts: FlagValues) {
    const client = await ctx.getClient<EngineClient>();
    const limit = opts.latest ? 1 : (opts.last as number);
    let format = (opts.format as string) || '';
    const size = Boolean(opts.size) || /\.Size\b/.test(format);
    let list;
    try {
      list = await client.containerList({
        all: opts.all ? 1 : undefined,
        limit: limit > 0 ? limit : undefined,
        size: size ? 1 : undefined,
        filters: filtersJson(opts.filter as string[]),
      });
    } catch (err) {
      throw new Error(describe(err));
    }
    const trunc = !opts['no-trunc'];
    if (opts.quiet && !format) format = '{{.ID}}';
    if (!format) format = opts.size ? `${PS_DEFAULT_FORMAT}\t{{.Size}}` : PS_DEFAULT_FORMAT;
    ctx.io.stdout.write(formatRows(format, list.map((c) => containerRow(c, trunc)), PS_HEADERS));
  },
});
