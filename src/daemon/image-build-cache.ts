// What counts as build cache, for `system df` and `builder prune`: intermediate images the builder made
// that no tagged image and no container depends on, RUN --mount=type=cache directories, and contexts a
// crashed build left behind. Builds in progress register what they use so nothing of theirs is counted
// as reclaimable or pruned.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ImageRecord } from '../core/images.js';
import { diskUsage } from '../plugins/snapshotter-overlay/disk-usage.js';
import { chainIds, hexOf } from '../oci/digest.js';
import type { Daemon } from './daemon.js';
import { builderPaths } from './image-build-paths.js';

/** Docker's types.BuildCache record. */
export interface BuildCacheRecord {
  ID: string;
  Parent?: string;
  Type: string;
  Description: string;
  InUse: boolean;
  Shared: boolean;
  Size: number;
  CreatedAt: string;
  LastUsedAt: string | null;
  UsageCount: number;
}

const active = new WeakMap<Daemon, number>();

/** Marks a build as running for the duration of `fn` (prune then leaves mounts and contexts alone). */
export async function withActiveBuild<T>(d: Daemon, fn: () => Promise<T>): Promise<T> {
  active.set(d, (active.get(d) ?? 0) + 1);
  try {
    return await fn();
  } finally {
    active.set(d, (active.get(d) ?? 1) - 1);
  }
}

export const buildsRunning = (d: Daemon): boolean => (active.get(d) ?? 0) > 0;

/** Built images nothing tagged or used depends on, deepest first (so children go before parents). */
export function deadIntermediateImages(d: Daemon): ImageRecord[] {
  const all = d.images.list();
  const byId = new Map(all.map((i) => [i.id as string, i]));
  const used = new Set(d.containers.list().map((c) => c.image as string));
  const keep = new Set<string>();
  for (const img of all) {
    if (d.images.referencesOf(img.id).length === 0 && !used.has(img.id)) continue;
    for (let cur: ImageRecord | undefined = img; cur && !keep.has(cur.id); cur = cur.parent ? byId.get(cur.parent) : undefined) {
      keep.add(cur.id);
    }
  }
  const depth = (img: ImageRecord): number => {
    let n = 0;
    for (let p = img.parent; p; p = byId.get(p)?.parent) n++;
    return n;
  };
  return all
    .filter((img) => !keep.has(img.id) && img.config.container_config !== undefined)
    .sort((a, b) => depth(b) - depth(a));
}

export interface CacheDir {
  path: string;
  id: string;
  type: 'exec.cachemount' | 'source.local';
  description: string;
  created: Date;
}

/** Cache-mount directories and leftover contexts (none while a build runs: they may be its own). */
export async function cacheDirs(d: Daemon, includeBusy = false): Promise<CacheDir[]> {
  if (buildsRunning(d) && !includeBusy) return [];
  const p = builderPaths(d);
  const out: CacheDir[] = [];
  const dirs = [
    [p.cacheMounts, 'exec.cachemount', 'cache mount'],
    [p.contexts, 'source.local', 'build context left by an interrupted build'],
  ] as const;
  for (const [dir, type, description] of dirs) {
    let names: string[] = [];
    try {
      names = await fs.readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const st = await fs.stat(path.join(dir, name)).catch(() => undefined);
      if (st) out.push({ path: path.join(dir, name), id: name, type, description, created: st.mtime });
    }
  }
  // The store of context files, as one item: what later builds of the same contexts need not write again.
  const st = await fs.stat(p.contextStore).catch(() => undefined);
  if (st) out.push({ path: p.contextStore, id: 'context-store', type: 'source.local', description: 'build context files', created: st.mtime });
  // Likewise the remembered hashes of context directories read in place.
  const hashes = await fs.stat(p.contextHashes).catch(() => undefined);
  if (hashes) out.push({ path: p.contextHashes, id: 'context-hashes', type: 'source.local', description: 'build context file hashes', created: hashes.mtime });
  return out;
}

/** GET /system/df's BuildCache and BuilderSize. */
export async function buildCacheUsage(d: Daemon): Promise<{ items: BuildCacheRecord[]; size: number }> {
  const sizes = new Map((await d.snapshots.list()).map((s) => [s.key, s.size]));
  const deadList = deadIntermediateImages(d);
  const dead = new Set(deadList.map((i) => i.id as string));
  const outsideChains = new Set(d.images.list().filter((o) => !dead.has(o.id)).flatMap((o) => chainIds(o.config.rootfs.diff_ids)));
  const items: BuildCacheRecord[] = [];
  for (const img of deadList) {
    items.push({
      ID: hexOf(img.id).slice(0, 25),
      ...(img.parent && dead.has(img.parent) ? { Parent: hexOf(img.parent).slice(0, 25) } : {}),
      Type: 'regular',
      Description: img.config.history?.at(-1)?.created_by ?? '',
      InUse: false,
      Shared: false,
      Size: ownLayerSize(d, img, sizes, outsideChains),
      CreatedAt: img.config.created ?? '',
      LastUsedAt: null,
      UsageCount: 0,
    });
  }
  for (const c of await cacheDirs(d)) {
    items.push({
      ID: c.id.slice(0, 25),
      Type: c.type,
      Description: c.description,
      InUse: false,
      Shared: false,
      Size: await diskUsage(c.path),
      CreatedAt: c.created.toISOString(),
      LastUsedAt: c.created.toISOString(),
      UsageCount: 0,
    });
  }
  return { items, size: items.reduce((n, i) => n + i.Size, 0) };
}

/** Bytes of the layer the image's own step added, unless an image outside the cache uses it too. */
function ownLayerSize(d: Daemon, img: ImageRecord, sizes: Map<string, number>, outside: Set<string>): number {
  const diffs = img.config.rootfs.diff_ids;
  const parent = img.parent ? d.images.get(img.parent) : undefined;
  if (diffs.length === 0 || diffs.length <= (parent?.config.rootfs.diff_ids.length ?? 0)) return 0;
  const top = chainIds(diffs).at(-1)!;
  return outside.has(top) ? 0 : (sizes.get(top) ?? 0);
}
