// berth system df
import { humanSize } from '../../../api/units.js';
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';
import { formatRows } from '../../format/formatter.js';

const DEFAULT = 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}';
const HEADERS = { Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' };

/** docker's "1.2MB (50%)": the percentage only when there is something at all. */
function reclaimable(bytes: number, total: number): string {
  return total > 0 ? `${humanSize(bytes, 4)} (${Math.floor((bytes * 100) / total)}%)` : humanSize(bytes, 4);
}

export const dfCommand = defineCommand({
  name: 'df',
  usage: 'df [OPTIONS]',
  short: 'Show berth disk usage',
  args: { max: 0 },
  flags: [{ name: 'format', type: 'string', usage: 'Format output using a custom template' }],
  async run(ctx: CommandContext, opts: FlagValues) {
    let du;
    try {
      du = await (await ctx.getClient<EngineClient>()).systemDf();
    } catch (err) {
      throw new Error(describe(err));
    }
    // The docker CLI's formulas (cli/command/formatter/disk_usage.go).
    let usedByImages = 0;
    for (const i of du.Images) if (i.Containers > 0) usedByImages += i.Size - i.SharedSize;
    const activeContainers = du.Containers.filter((c) => c.State === 'running' || c.State === 'paused');
    const containerSize = du.Containers.reduce((n, c) => n + (c.SizeRw ?? 0), 0);
    const idleContainerSize = du.Containers.filter((c) => !activeContainers.includes(c)).reduce((n, c) => n + (c.SizeRw ?? 0), 0);
    const rows = [
      {
        Type: 'Images',
        TotalCount: String(du.Images.length),
        Active: String(du.Images.filter((i) => i.Containers > 0).length),
        Size: humanSize(du.LayersSize, 4),
        Reclaimable: reclaimable(du.LayersSize - usedByImages, du.LayersSize),
      },
      {
        Type: 'Containers',
        TotalCount: String(du.Containers.length),
        Active: String(activeContainers.length),
        Size: humanSize(containerSize, 4),
        Reclaimable: reclaimable(idleContainerSize, containerSize),
      },
      { Type: 'Local Volumes', TotalCount: String(du.Volumes.length), Active: '0', Size: '0B', Reclaimable: '0B' },
      { Type: 'Build Cache', TotalCount: '0', Active: '0', Size: '0B', Reclaimable: '0B' },
    ];
    ctx.io.stdout.write(formatRows((opts.format as string) || DEFAULT, rows, HEADERS));
  },
});
