// GET /images/{name}/json.
import type { ImageInspect } from '../api/types.js';
import { ZERO_TIME } from '../core/containers.js';
import { chainIds } from '../oci/digest.js';
import { familiarName, parseReference } from '../oci/reference.js';
import type { Daemon } from './daemon.js';
import { resolveImage } from './image-resolve.js';

export async function imageInspect(d: Daemon, name: string): Promise<ImageInspect> {
  const img = resolveImage(d, name);
  const cfg = img.config;
  const refs = d.images.referencesOf(img.id);
  const history = cfg.history ?? [];
  const out: ImageInspect = {
    Id: img.id,
    RepoTags: refs.filter((r) => !r.includes('@')).map((r) => familiarName(parseReference(r))),
    RepoDigests: refs.filter((r) => r.includes('@')).map((r) => familiarName(parseReference(r))),
    Parent: img.parent ?? '',
    // Docker falls back to the newest history entry's comment.
    Comment: cfg.comment || history[history.length - 1]?.comment || '',
    Created: cfg.created ?? '',
    DockerVersion: cfg.docker_version ?? '',
    Author: cfg.author ?? '',
    Config: cfg.config ?? {},
    Architecture: cfg.architecture,
    Os: cfg.os,
    Size: img.size,
    GraphDriver: { Name: 'overlay2', Data: await layerDirs(d, cfg.rootfs.diff_ids) },
    RootFS: { Type: 'layers', Layers: cfg.rootfs.diff_ids },
    Metadata: { LastTagTime: img.lastTagTime ?? ZERO_TIME },
  };
  if (cfg.variant) out.Variant = cfg.variant;
  return out;
}

/** UpperDir/LowerDir of the image's top layer, from the snapshotter's read-only view. */
async function layerDirs(d: Daemon, diffIds: string[]): Promise<Record<string, string> | null> {
  const top = chainIds(diffIds).pop();
  if (!top) return null;
  try {
    const [m] = await d.snapshots.mounts(top);
    const lower = m?.options.find((o) => o.startsWith('lowerdir='))?.slice('lowerdir='.length);
    if (!lower) return null;
    const dirs = lower.split(':').slice(0, diffIds.length);
    const data: Record<string, string> = { UpperDir: dirs[0] };
    if (dirs.length > 1) data.LowerDir = dirs.slice(1).join(':');
    return data;
  } catch {
    return null;
  }
}
