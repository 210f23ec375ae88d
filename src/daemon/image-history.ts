// GET /images/{name}/history: newest first; the top entry carries the image's
// ID and tags, entries of unknown images say "<missing>".
import type { HistoryItem } from '../api/types.js';
import { chainIds, type Digest } from '../oci/digest.js';
import { familiarName, parseReference } from '../oci/reference.js';
import { internal } from '../errdefs/errors.js';
import type { Daemon } from './daemon.js';
import { resolveImage } from './image-resolve.js';

export async function imageHistory(d: Daemon, name: string): Promise<HistoryItem[]> {
  const img = resolveImage(d, name);
  const diffIds = img.config.rootfs.diff_ids;
  const chain = chainIds(diffIds);
  const items: HistoryItem[] = [];
  let layer = 0;
  for (const h of img.config.history ?? []) {
    let size = 0;
    if (!h.empty_layer) {
      if (layer >= diffIds.length) throw internal('too many non-empty layers in History section');
      size = (await d.snapshots.stat(chain[layer]))?.size ?? 0;
      layer++;
    }
    items.unshift({
      Id: '<missing>',
      Created: h.created ? Math.floor(Date.parse(h.created) / 1000) : 0,
      CreatedBy: h.created_by ?? '',
      Tags: null,
      Size: size,
      Comment: h.comment ?? '',
    });
  }
  // Walk down the parent chain as far as the parents are known locally.
  let id: Digest | undefined = img.id;
  for (const item of items) {
    if (!id) break;
    item.Id = id;
    const tags = d.images
      .referencesOf(id)
      .filter((r) => !r.includes('@'))
      .map((r) => familiarName(parseReference(r)));
    item.Tags = tags.length > 0 ? tags : null;
    id = d.images.get(id)?.parent;
    if (id && !d.images.get(id)) break;
  }
  return items;
}
