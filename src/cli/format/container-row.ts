// The fields `ps --format` offers, computed as the docker CLI computes them.
import type { ContainerSummary } from '../../api/types.js';
import { humanDuration, humanSize } from '../../api/units.js';

export const PS_DEFAULT_FORMAT = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}';

export const PS_HEADERS: Record<string, string> = {
  ID: 'CONTAINER ID',
  Image: 'IMAGE',
  Command: 'COMMAND',
  CreatedAt: 'CREATED AT',
  RunningFor: 'CREATED',
  Ports: 'PORTS',
  State: 'STATE',
  Status: 'STATUS',
  Size: 'SIZE',
  Names: 'NAMES',
  Labels: 'LABELS',
  Mounts: 'MOUNTS',
  Networks: 'NETWORKS',
  LocalVolumes: 'LOCAL VOLUMES',
};

export const truncateId = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

/** docker's formatter.Ellipsis: cut to n characters, the last being "…". */
export function ellipsis(s: string, n: number): string {
  const chars = [...s];
  return chars.length <= n ? s : `${chars.slice(0, n - 1).join('')}…`;
}

/** Go's time.Time.String() for a Unix time, in UTC. */
export function goTimeString(unixSeconds: number): string {
  const iso = new Date(unixSeconds * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} +0000 UTC`;
}

export function containerRow(c: ContainerSummary, trunc: boolean, now = Date.now()) {
  const command = trunc ? ellipsis(c.Command, 20) : c.Command;
  let image = c.Image || '<no image>';
  if (trunc) {
    if (truncateId(c.ImageID) === truncateId(image)) image = truncateId(image);
    image = image.replace(/@sha256:[a-f0-9]+$/, '');
  }
  const names = c.Names.map((n) => n.replace(/^\//, '')).filter((n) => !trunc || !n.includes('/'));
  return {
    ID: trunc ? truncateId(c.Id) : c.Id,
    Image: image,
    Command: JSON.stringify(command),
    CreatedAt: goTimeString(c.Created),
    RunningFor: `${humanDuration(now - c.Created * 1000)} ago`,
    Ports: '',
    State: c.State,
    Status: c.Status,
    Size: c.SizeRw === undefined ? '0B' : `${humanSize(c.SizeRw)} (virtual ${humanSize(c.SizeRootFs ?? 0)})`,
    Names: names.join(','),
    Labels: Object.entries(c.Labels ?? {}).map(([k, v]) => `${k}=${v}`).join(','),
    Mounts: '',
    Networks: Object.keys(c.NetworkSettings?.Networks ?? {}).join(','),
    LocalVolumes: '0',
  };
}
