// GET /system/df: what images, containers, volumes and build cache use.
// Docker leaves container logs out; berth counts them in fields of its own (SizeLogs, LogsSize), so the
// fields Docker defines keep Docker's meaning.
import type { ContainerSummary, ImageSummary } from '../api/types.js';
import { containerFiles } from './container-files.js';
import { containerList } from './container-list.js';
import type { Daemon } from './daemon.js';
import { imageList } from './image-list.js';
import { logBytes } from './log-files.js';
import { buildCacheUsage } from './image-build-cache.js';

export interface DiskUsage {
  LayersSize: number;
  Images: ImageSummary[];
  Containers: ContainerSummary[];
  Volumes: unknown[];
  BuildCache: unknown[] | null;
  BuilderSize: number;
  /** berth: bytes of every container's log files (current and rotated); each container's are its SizeLogs. */
  LogsSize: number;
}

export async function systemDf(d: Daemon): Promise<DiskUsage> {
  const images = await imageList(d, { all: true, containers: true });
  // Layers shared by several images are counted once in LayersSize; each image's
  // SharedSize is the part of it that other images also use.
  const useCount = new Map<string, number>();
  for (const img of d.images.list()) {
    for (const l of img.config.rootfs.diff_ids) useCount.set(l, (useCount.get(l) ?? 0) + 1);
  }
  const layerSize = new Map<string, number>();
  for (const s of await d.snapshots.list()) if (s.kind === 'committed') layerSize.set(s.key, s.size);
  let layersSize = 0;
  for (const s of layerSize.values()) layersSize += s;
  for (const summary of images) {
    const rec = d.images.get(summary.Id as never);
    let shared = 0;
    for (const diff of rec?.config.rootfs.diff_ids ?? []) {
      if ((useCount.get(diff) ?? 0) > 1) shared += layerSize.get(diff) ?? 0;
    }
    summary.SharedSize = shared;
  }
  const containers = await containerList(d, { all: true, size: true });
  let logsSize = 0;
  for (const c of containers) {
    c.SizeLogs = logBytes(containerFiles(d, c.Id).log);
    logsSize += c.SizeLogs;
  }
  return {
    LayersSize: layersSize,
    Images: images,
    Containers: containers,
    Volumes: [],
    // Build cache (issue 4): the builder's dead intermediate images, cache mounts, leftover contexts.
    ...(await buildCacheUsage(d).then((b) => ({ BuildCache: b.items, BuilderSize: b.size }))),
    LogsSize: logsSize,
  };
}
