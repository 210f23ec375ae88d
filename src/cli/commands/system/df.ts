// berth system df
import type { ContainerSummary, ImageSummary } from '../../../api/types.js';
import { humanDuration, humanSize } from '../../../api/units.js';
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';
import { containerRow, PS_HEADERS, truncateId } from '../../format/container-row.js';
import { formatRows } from '../../format/formatter.js';

const DEFAULT = 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}';
const HEADERS = { Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' };

// The verbose tables (docker/cli cli/command/formatter/disk_usage.go); berth adds LOGS to the containers.
const IMAGES_TABLE =
  'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}';
const IMAGES_HEADERS = {
  Repository: 'REPOSITORY',
  Tag: 'TAG',
  ID: 'IMAGE ID',
  CreatedSince: 'CREATED',
  Size: 'SIZE',
  SharedSize: 'SHARED SIZE',
  UniqueSize: 'UNIQUE SIZE',
  Containers: 'CONTAINERS',
};
const CONTAINERS_TABLE =
  'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.Logs}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}';
const VOLUMES_TABLE = 'table {{.Name}}\t{{.Links}}\t{{.Size}}';
const BUILD_CACHE_TABLE =
  'table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}';
const BUILD_CACHE_HEADERS = {
  ID: 'CACHE ID',
  CacheType: 'CACHE TYPE',
  Size: 'SIZE',
  CreatedSince: 'CREATED',
  LastUsedSince: 'LAST USED',
  UsageCount: 'USAGE',
  Shared: 'SHARED',
};

type DiskUsage = Awaited<ReturnType<EngineClient['systemDf']>>;

/** docker's "1.2MB (50%)": the percentage only when there is something at all. */
function reclaimable(bytes: number, total: number): string {
  return total > 0 ? `${humanSize(bytes, 4)} (${Math.floor((bytes * 100) / total)}%)` : humanSize(bytes, 4);
}

/** docker's diskUsageContainersContext.isActive. */
const isActive = (c: ContainerSummary) => /running|paused|restarting/.test(c.State);

/** What a container takes: its writable layer (Docker's SizeRw) and, in berth, its log files. */
const containerBytes = (c: ContainerSummary) => (c.SizeRw ?? 0) + (c.SizeLogs ?? 0);

export const dfCommand = defineCommand({
  name: 'df',
  usage: 'df [OPTIONS]',
  short: 'Show berth disk usage',
  args: { max: 0 },
  flags: [
    { name: 'format', type: 'string', usage: 'Format output using a custom template' },
    { name: 'verbose', short: 'v', type: 'bool', usage: 'Show detailed information on space usage' },
  ],
  async run(ctx: CommandContext, opts: FlagValues) {
    if (opts.verbose && opts.format) throw new Error('berth system df: --format cannot be combined with --verbose');
    let du;
    try {
      du = await (await ctx.getClient<EngineClient>()).systemDf();
    } catch (err) {
      throw new Error(describe(err));
    }
    ctx.io.stdout.write(opts.verbose ? verbose(du) : summary(du, (opts.format as string) || DEFAULT));
  },
});

function summary(du: DiskUsage, format: string): string {
  // The docker CLI's formulas (cli/command/formatter/disk_usage.go), with log bytes in the containers' sizes:
  // a stopped container's logs go when it is pruned, so they are reclaimable.
  let usedByImages = 0;
  for (const i of du.Images) if (i.Containers > 0) usedByImages += i.Size - i.SharedSize;
  const containerSize = du.Containers.reduce((n, c) => n + containerBytes(c), 0);
  const idleContainerSize = du.Containers.filter((c) => !isActive(c)).reduce((n, c) => n + containerBytes(c), 0);
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
      Active: String(du.Containers.filter(isActive).length),
      Size: humanSize(containerSize, 4),
      Reclaimable: reclaimable(idleContainerSize, containerSize),
    },
    { Type: 'Local Volumes', TotalCount: String(du.Volumes.length), Active: '0', Size: '0B', Reclaimable: '0B' },
    { Type: 'Build Cache', TotalCount: '0', Active: '0', Size: '0B', Reclaimable: '0B' },
  ];
  return formatRows(format, rows, HEADERS);
}

function verbose(du: DiskUsage, now = Date.now()): string {
  const images = du.Images.map((i) => imageUsageRow(i, now));
  const containers = du.Containers.map((c) => ({
    ...containerRow({ ...c, SizeRootFs: 0 }, true, now),
    Size: humanSize(containerBytes(c)),
    Logs: humanSize(c.SizeLogs ?? 0),
  }));
  return [
    'Images space usage:\n\n',
    formatRows(IMAGES_TABLE, images, IMAGES_HEADERS),
    '\nContainers space usage:\n\n',
    formatRows(CONTAINERS_TABLE, containers, { ...PS_HEADERS, Logs: 'LOGS' }),
    '\nLocal Volumes space usage:\n\n',
    formatRows(VOLUMES_TABLE, [], { Name: 'VOLUME NAME', Links: 'LINKS', Size: 'SIZE' }),
    '\nBuild cache usage: 0B\n\n',
    formatRows(BUILD_CACHE_TABLE, [], BUILD_CACHE_HEADERS),
  ].join('');
}

/** One row per image (its first tag only), as docker's verbose df prints them. */
function imageUsageRow(i: ImageSummary, now: number) {
  const tags = i.RepoTags ?? [];
  const dangling = tags.length === 0 || (tags.length === 1 && tags[0] === '<none>:<none>');
  let repo = '<none>';
  let tag = '<none>';
  if (!dangling) {
    const ref = tags[0];
    const colon = ref.lastIndexOf(':');
    if (colon > ref.lastIndexOf('/')) {
      repo = ref.slice(0, colon).replace(/^docker\.io\/(library\/)?/, '');
      tag = ref.slice(colon + 1);
    }
  }
  return {
    Repository: repo,
    Tag: tag,
    ID: truncateId(i.Id),
    CreatedSince: `${humanDuration(now - i.Created * 1000)} ago`,
    Size: humanSize(i.Size),
    SharedSize: i.SharedSize < 0 ? 'N/A' : humanSize(i.SharedSize, 4),
    UniqueSize: i.SharedSize < 0 ? 'N/A' : humanSize(i.Size - i.SharedSize, 4),
    Containers: i.Containers < 0 ? 'N/A' : String(i.Containers),
  };
}
