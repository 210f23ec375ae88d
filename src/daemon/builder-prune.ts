// POST /build/prune (`builder prune`): removes the build cache (see image-build-cache.ts) and reports what
// went and the space reclaimed. `all` also cuts the parent links from tagged images to the builder's
// intermediate images, so their whole chains go and the next build starts cold.
import { promises as fs } from 'node:fs';
import type { Filters } from '../api/types.js';
import { parseFilters } from '../core/filters.js';
import { invalidArgument, kindOf } from '../errdefs/errors.js';
import { diskUsage } from '../plugins/snapshotter-overlay/disk-usage.js';
import { hexOf } from '../oci/digest.js';
import type { Daemon } from './daemon.js';
import { cacheDirs, deadIntermediateImages } from './image-build-cache.js';
import { deleteImageLocked } from './image-delete.js';
import { parseTimestamp } from './image-filters.js';
import { IMAGES_LOCK } from './image-usage.js';

export interface BuilderPruneOptions {
  all?: boolean;
  filters?: Filters | string | null;
  /** Accepted for compatibility; the cache is pruned whole. */
  keepStorage?: number;
}

export interface BuilderPruneReport {
  CachesDeleted: string[] | null;
  SpaceReclaimed: number;
}

const ACCEPTED = ['until', 'unused-for', 'id', 'type', 'description', 'inuse', 'shared', 'private', 'parent'];

export async function builderPrune(d: Daemon, opts: BuilderPruneOptions = {}): Promise<BuilderPruneReport> {
  const filters = typeof opts.filters === 'object' && opts.filters !== null ? opts.filters : parseFilters(opts.filters, ACCEPTED);
  for (const key of Object.keys(filters)) if (!ACCEPTED.includes(key)) throw invalidArgument(`invalid filter '${key}'`);
  const untilValue = [...(filters.until ?? []), ...(filters['unused-for'] ?? [])];
  if (untilValue.length > 1) throw invalidArgument('more than one until filter specified');
  const until = untilValue.length ? parseTimestamp(untilValue[0]).getTime() : Infinity;
  const types = filters.type;
  const wanted = (type: string, created: number) => created <= until && (!types || types.includes(type));

  const deleted: string[] = [];
  let reclaimed = 0;
  await d.lock(IMAGES_LOCK, async () => {
    if (opts.all) await unlinkCacheChains(d);
    const sizes = new Map((await d.snapshots.list()).map((s) => [s.key, s.size]));
    for (const img of deadIntermediateImages(d)) {
      if (!wanted('regular', img.config.created ? Date.parse(img.config.created) : 0)) continue;
      try {
        for (const item of await deleteImageLocked(d, hexOf(img.id), false, false)) {
          if ('Deleted' in item) reclaimed += sizes.get(item.Deleted) ?? 0;
        }
        deleted.push(hexOf(img.id));
      } catch (err) {
        if (kindOf(err) !== 'Conflict' && kindOf(err) !== 'NotFound') throw err;
      }
    }
  });
  for (const dir of await cacheDirs(d)) {
    if (!wanted(dir.type, dir.created.getTime())) continue;
    reclaimed += await diskUsage(dir.path);
    await fs.rm(dir.path, { recursive: true, force: true });
    deleted.push(dir.id);
  }
  return { CachesDeleted: deleted.length > 0 ? deleted : null, SpaceReclaimed: reclaimed };
}

/** Tagged (or used) images whose parent is one of the builder's untagged images lose that link. */
async function unlinkCacheChains(d: Daemon): Promise<void> {
  const used = new Set(d.containers.list().map((c) => c.image as string));
  for (const img of d.images.list()) {
    if (!img.parent) continue;
    const parent = d.images.get(img.parent);
    if (!parent?.config.container_config || d.images.referencesOf(parent.id).length > 0 || used.has(parent.id)) continue;
    if (d.images.referencesOf(img.id).length === 0 && !used.has(img.id)) continue;
    const { parent: _gone, ...rest } = img;
    await d.images.put(rest);
  }
}
