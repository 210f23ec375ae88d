// berth images / image ls
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import { filtersJson } from '../../filter-flag.js';
import type { FlagValues } from '../../flags.js';
import { formatRows } from '../../format/formatter.js';
import { IMAGE_HEADERS, IMAGES_DEFAULT_FORMAT, IMAGES_DIGESTS_FORMAT, imageRows } from '../../format/image-row.js';

export const imagesCommand = defineCommand({
  name: 'ls',
  aliases: ['images', 'list'],
  usage: 'ls [OPTIONS] [REPOSITORY[:TAG]]',
  short: 'List images',
  args: { max: 1 },
  flags: [
    { name: 'all', short: 'a', type: 'bool', usage: 'Show all images (default hides intermediate images)' },
    { name: 'digests', type: 'bool', usage: 'Show digests' },
    { name: 'filter', short: 'f', type: 'stringArray', valueName: 'filter', usage: 'Filter output based on conditions provided' },
    { name: 'format', type: 'string', usage: 'Format output using a custom template' },
    { name: 'no-trunc', type: 'bool', usage: "Don't truncate output" },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Only show image IDs' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const client = await ctx.getClient<EngineClient>();
    const extra: Record<string, string[]> = args[0] ? { reference: [args[0]] } : {};
    let list;
    try {
      list = await client.imageList({ all: opts.all ? 1 : undefined, digests: opts.digests ? 1 : undefined, filters: filtersJson(opts.filter as string[], extra) });
    } catch (err) {
      throw new Error(describe(err));
    }
    const rows = imageRows(list, !opts['no-trunc']);
    if (opts.quiet && !opts.format) {
      const ids = [...new Set(rows.map((r) => r.ID))];
      ctx.io.stdout.write(ids.map((id) => `${id}\n`).join(''));
      return;
    }
    const format = (opts.format as string) || (opts.digests ? IMAGES_DIGESTS_FORMAT : IMAGES_DEFAULT_FORMAT);
    ctx.io.stdout.write(formatRows(format, rows, IMAGE_HEADERS));
  },
});
