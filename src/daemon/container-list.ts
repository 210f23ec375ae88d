// GET /containers/json
import type { ContainerSummary } from '../api/types.js';
import { containerStatus } from '../core/container-status.js';
import type { ContainerRecord } from '../core/containers.js';
import { matchesLabels, parseFilters } from '../core/filters.js';
import { invalidArgument } from '../errdefs/errors.js';
import type { Daemon } from './daemon.js';
import { findImage } from './image-resolve.js';

export interface ListOptions {
  all?: boolean;
  limit?: number;
  size?: boolean;
  filters?: string | null;
}

const FILTERS = ['status', 'name', 'id', 'label', 'ancestor', 'exited', 'before', 'since', 'health', 'network', 'volume', 'publish', 'expose', 'is-task'];
const STATUSES = ['created', 'restarting', 'running', 'removing', 'paused', 'exited', 'dead'];

export async function containerList(d: Daemon, opts: ListOptions = {}): Promise<ContainerSummary[]> {
  const f = parseFilters(opts.filters, FILTERS);
  for (const s of f.status ?? []) {
    if (!STATUSES.includes(s)) throw invalidArgument(`invalid filter 'status=${s}'`);
  }
  let list = d.containers.list().sort((a, b) => b.created.localeCompare(a.created));
  const all = opts.all || (opts.limit ?? 0) > 0 || Boolean(f.status?.length) || Boolean(f.exited?.length);
  if (!all) list = list.filter((c) => c.state.Running);
  list = list.filter((c) => matches(d, c, f));
  if (f.before?.length) list = cutBefore(d, list, f.before[0]);
  if (f.since?.length) list = cutSince(d, list, f.since[0]);
  if (opts.limit && opts.limit > 0) list = list.slice(0, opts.limit);
  return Promise.all(list.map((c) => summarize(d, c, Boolean(opts.size))));
}

function matches(d: Daemon, c: ContainerRecord, f: Record<string, string[]>): boolean {
  if (f.status?.length && !f.status.includes(c.state.Status)) return false;
  if (f.id?.length && !f.id.some((id) => c.id.startsWith(id))) return false;
  // Docker matches names as regular expressions against both "/name" and "name".
  if (f.name?.length && !f.name.some((n) => safeRegex(n).test(c.name) || safeRegex(n).test(c.name.slice(1)))) return false;
  if (f.label?.length && !matchesLabels(c.config.Labels, f.label)) return false;
  if (f.exited?.length && (c.state.Running || !f.exited.includes(String(c.state.ExitCode)) || c.state.StartedAt.startsWith('0001'))) {
    return false;
  }
  if (f.ancestor?.length && !f.ancestor.some((a) => isAncestor(d, c, a))) return false;
  return true;
}

function safeRegex(s: string): RegExp {
  try {
    return new RegExp(s);
  } catch {
    return new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  }
}

function isAncestor(d: Daemon, c: ContainerRecord, ref: string): boolean {
  if (c.config.Image === ref) return true;
  const img = findImage(d, ref);
  return img !== undefined && img.id === c.image;
}

function cutBefore(d: Daemon, list: ContainerRecord[], ref: string): ContainerRecord[] {
  const pivot = d.containers.list().find((c) => c.id.startsWith(ref) || c.name === `/${ref}`);
  return pivot ? list.filter((c) => c.created < pivot.created) : list;
}

function cutSince(d: Daemon, list: ContainerRecord[], ref: string): ContainerRecord[] {
  const pivot = d.containers.list().find((c) => c.id.startsWith(ref) || c.name === `/${ref}`);
  return pivot ? list.filter((c) => c.created > pivot.created) : list;
}

async function summarize(d: Daemon, c: ContainerRecord, size: boolean): Promise<ContainerSummary> {
  const image = d.images.get(c.image);
  const s: ContainerSummary = {
    Id: c.id,
    Names: [c.name],
    // Docker shows the image as given, or its ID once that name points elsewhere.
    Image: image && imageNameStillPoints(d, c) ? (c.config.Image ?? c.image) : c.image,
    ImageID: c.image,
    // Docker quotes arguments that contain spaces (moby daemon/list.go).
    Command: [c.path, ...c.args.map((a) => (a.includes(' ') ? `'${a}'` : a))].join(' '),
    Created: Math.floor(Date.parse(c.created) / 1000),
    Ports: [],
    Labels: c.config.Labels ?? {},
    State: c.state.Status,
    Status: containerStatus(c.state),
    HostConfig: { NetworkMode: c.hostConfig.NetworkMode ?? 'none' },
    NetworkSettings: { Networks: {} },
    Mounts: [],
  };
  if (size) {
    s.SizeRw = await d.snapshots.usage(c.id).catch(() => 0);
    s.SizeRootFs = s.SizeRw + (image?.size ?? 0);
  }
  return s;
}

function imageNameStillPoints(d: Daemon, c: ContainerRecord): boolean {
  const ref = c.config.Image;
  if (!ref) return false;
  const img = findImage(d, ref);
  return img?.id === c.image;
}
