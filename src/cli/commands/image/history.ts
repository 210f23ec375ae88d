// berth history
import { humanDuration, humanSize } from '../../../api/units.js';
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';
import { ellipsis, goTimeString, truncateId } from '../../format/container-row.js';
import { formatRows } from '../../format/formatter.js';

const DEFAULT = 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';
const HEADERS = { ID: 'IMAGE', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT' };

export const historyCommand = defineCommand({
  name: 'history',
  usage: 'history [OPTIONS] IMAGE',
  short: 'Show the history of an image',
  args: { exact: 1 },
  flags: [
    { name: 'format', type: 'string', usage: 'Format output using a custom template' },
    { name: 'human', short: 'H', type: 'bool', default: true, usage: 'Print sizes and dates in human readable format' },
    { name: 'no-trunc', type: 'bool', usage: "Don't truncate output" },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Only show image IDs' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const client = await ctx.getClient<EngineClient>();
    let items;
    try {
      items = await client.imageHistory(args[0]);
    } catch (err) {
      throw new Error(describe(err));
    }
    const trunc = !opts['no-trunc'];
    const human = opts.human !== false;
    const rows = items.map((h) => ({
      ID: h.Id === '<missing>' ? '<missing>' : trunc ? truncateId(h.Id) : h.Id,
      CreatedSince: human ? `${humanDuration(Date.now() - h.Created * 1000)} ago` : new Date(h.Created * 1000).toISOString(),
      CreatedAt: goTimeString(h.Created),
      CreatedBy: trunc ? ellipsis(h.CreatedBy.replace(/\t/g, ' '), 45) : h.CreatedBy,
      Size: human ? humanSize(h.Size) : String(h.Size),
      Comment: h.Comment,
    }));
    const format = (opts.format as string) || (opts.quiet ? '{{.ID}}' : DEFAULT);
    ctx.io.stdout.write(formatRows(format, rows, HEADERS));
  },
});
