// GET /images/json.
import type { Filters, ImageSummary } from '../api/types.js';
import type { ImageRecord } from '../core/images.js';
import { parseFilters } from '../core/filters.js';
import { invalidArgument } from '../errdefs/errors.js';
import { familiarName, parseReference } from '../oci/reference.js';
import type { Daemon } from './daemon.js';
import { boolFilter, labelsMatch, parseTimestamp, referenceMatches } from './image-filters.js';
import { resolveImage } from './image-resolve.js';

export interface ImageListOptions {
  all?: boolean;
  /** Parsed filters, or the raw `filters` query value (JSON). */
  filters?: Filters | string | null;
  /** Accepted for compatibility: RepoDigests are always filled. */
  digests?: boolean;
  /** Count the containers using each image (system df); otherwise Containers is -1. */
  containers?: boolean;
}

const ACCEPTED = ['dangling', 'label', 'before', 'since', 'reference', 'until'];

export async function imageList(d: Daemon, opts: ImageListOptions = {}): Promise<ImageSummary[]> {
  const filters = typeof opts.filters === 'object' && opts.filters !== null ? opts.filters : parseFilters(opts.filters, ACCEPTED);
  for (const key of Object.keys(filters)) if (!ACCEPTED.includes(key)) throw invalidArgument(`invalid filter '${key}'`);
  const danglingOnly = boolFilter(filters, 'dangling', false);
  // Several before values mean the oldest one; several since values the newest.
  const before = Math.min(...(filters.before ?? []).map((v) => createdMs(resolveImage(d, v))));
  const since = Math.max(...(filters.since ?? []).map((v) => createdMs(resolveImage(d, v))));
  const until = filters.until?.length ? Math.min(...filters.until.map((v) => parseTimestamp(v).getTime())) : Infinity;

  const all = d.images.list();
  const parents = new Set(all.map((i) => i.parent).filter(Boolean));
  const out: Array<{ created: number; summary: ImageSummary }> = [];
  for (const img of all) {
    const hasChildren = parents.has(img.id);
    if (danglingOnly && hasChildren) continue;
    const created = createdMs(img);
    if (filters.before && !(created < before)) continue;
    if (filters.since && !(created > since)) continue;
    if (!(created <= until)) continue;
    const labels = img.config.config?.Labels ?? null;
    if (filters.label && !labelsMatch(labels, filters.label)) continue;

    const tags: string[] = [];
    const digests: string[] = [];
    for (const ref of d.images.referencesOf(img.id)) {
      if (filters.reference && !filters.reference.some((p) => referenceMatches(p, ref))) continue;
      const familiar = familiarName(parseReference(ref));
      if (ref.includes('@')) digests.push(familiar);
      else tags.push(familiar);
    }
    if (tags.length === 0 && digests.length === 0) {
      // Intermediate images only with all=1; untagged ones are what dangling=false hides.
      if (!opts.all && hasChildren) continue;
      if (filters.dangling && !danglingOnly) continue;
      if (filters.reference) continue;
    } else if (danglingOnly && tags.length > 0) continue;

    out.push({
      created,
      summary: {
        Id: img.id,
        ParentId: img.parent ?? '',
        RepoTags: tags,
        RepoDigests: digests,
        Created: Math.floor(created / 1000),
        Size: img.size,
        SharedSize: -1,
        Labels: labels,
        Containers: opts.containers ? d.containers.list().filter((c) => c.image === img.id).length : -1,
      },
    });
  }
  out.sort((a, b) => b.created - a.created || (a.summary.Id < b.summary.Id ? -1 : 1));
  return out.map((o) => o.summary);
}

function createdMs(img: ImageRecord): number {
  const t = img.config.created ? Date.parse(img.config.created) : NaN;
  return Number.isNaN(t) ? 0 : t;
}
