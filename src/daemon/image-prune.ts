// POST /images/prune: dangling images (all unused ones with dangling=false),
// never one a container uses, filtered by until / label / label!.
import type { Filters } from '../api/types.js';
import { parseFilters } from '../core/filters.js';
import { hexOf } from '../oci/digest.js';
import { conflict, invalidArgument, kindOf } from '../errdefs/errors.js';
import type { Daemon } from './daemon.js';
import { deleteImageLocked, type ImageDeleteItem } from './image-delete.js';
import { boolFilter, labelsMatch, parseTimestamp } from './image-filters.js';
import { containersUsing, IMAGES_LOCK } from './image-usage.js';

export interface ImagePruneReport {
  ImagesDeleted: ImageDeleteItem[] | null;
  SpaceReclaimed: number;
}

const ACCEPTED = ['dangling', 'label', 'label!', 'until'];
/** Daemons with a prune in progress: Docker refuses a second one. */
const running = new WeakSet<Daemon>();

export async function imagePrune(d: Daemon, filtersIn: Filters | string | null = null): Promise<ImagePruneReport> {
  const filters = typeof filtersIn === 'object' && filtersIn !== null ? filtersIn : parseFilters(filtersIn, ACCEPTED);
  for (const key of Object.keys(filters)) if (!ACCEPTED.includes(key)) throw invalidArgument(`invalid filter '${key}'`);
  const danglingOnly = boolFilter(filters, 'dangling', true);
  if ((filters.until?.length ?? 0) > 1) throw invalidArgument('more than one until filter specified');
  const until = filters.until?.length ? parseTimestamp(filters.until[0]).getTime() : undefined;

  if (running.has(d)) throw conflict('a prune operation is already running');
  running.add(d);
  try {
    return await d.lock(IMAGES_LOCK, async () => {
      // Layer sizes before anything goes, to report what was reclaimed.
      const sizes = new Map((await d.snapshots.list()).map((s) => [s.key, s.size]));
      const all = d.images.list();
      const parents = new Set(all.map((i) => i.parent).filter(Boolean));
      const deleted: ImageDeleteItem[] = [];
      for (const img of all) {
        if (!d.images.get(img.id)) continue; // went with an earlier one's parent
        const refs = d.images.referencesOf(img.id);
        if (danglingOnly && parents.has(img.id)) continue;
        if (refs.length === 0 && parents.has(img.id)) continue; // intermediate: goes with its child
        const created = img.config.created ? Date.parse(img.config.created) : 0;
        if (until !== undefined && created > until) continue;
        const labels = img.config.config?.Labels ?? null;
        if (filters.label && !labelsMatch(labels, filters.label)) continue;
        if (filters['label!']?.length && labelsMatch(labels, filters['label!'])) continue;
        if (containersUsing(d, img.id).length > 0) continue;
        const tagged = refs.some((r) => !r.includes('@'));
        if (danglingOnly && tagged) continue;
        try {
          if (refs.length === 0) deleted.push(...(await deleteImageLocked(d, hexOf(img.id), false, true)));
          else for (const r of refs) deleted.push(...(await deleteImageLocked(d, r, false, true)));
        } catch (err) {
          // Docker skips what cannot be deleted (a conflict, a race) and goes on.
          if (kindOf(err) !== 'Conflict' && kindOf(err) !== 'NotFound') throw err;
        }
      }
      let reclaimed = 0;
      for (const item of deleted) if ('Deleted' in item) reclaimed += sizes.get(item.Deleted) ?? 0;
      return { ImagesDeleted: deleted.length > 0 ? deleted : null, SpaceReclaimed: reclaimed };
    });
  } finally {
    running.delete(d);
  }
}

