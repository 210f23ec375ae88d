// The daemon's side of the builder (builder/dispatch/backend.ts): images from the store, the cache's
// candidates from the image records' parent links and container configs, RUN containers, and new images
// from a container, a layer tar or a config.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { BuildBackend, BuildImage, CacheCandidate, ChildConfig, OutputStream, RunContainerRequest } from '../builder/dispatch/backend.js';
import { mountAll, unmount } from '../host/mount.js';
import { chainIds, type Digest } from '../oci/digest.js';
import type { Daemon } from './daemon.js';
import { containerDiffTar, ingestLayer, writeChildImage } from './image-build-layer.js';
import { builderPaths } from './image-build-paths.js';
import { BuildContainers } from './image-build-run.js';
import { resolveImage } from './image-resolve.js';
import { imageTag } from './image-tag.js';

export class DaemonBuildBackend implements BuildBackend {
  private readonly containers: BuildContainers;

  constructor(private readonly d: Daemon) {
    this.containers = new BuildContainers(d);
  }

  async getImage(ref: string): Promise<BuildImage> {
    const img = resolveImage(this.d, ref);
    return { id: img.id, config: img.config };
  }

  cacheCandidates(parent: string): CacheCandidate[] {
    const out: CacheCandidate[] = [];
    for (const img of this.d.images.list()) {
      if ((img.parent ?? '') !== parent) continue;
      // Images made from scratch count only when built here (they carry the step's config).
      if (!img.config.container_config) continue;
      out.push({ id: img.id, containerConfig: img.config.container_config, created: img.config.created ?? '' });
    }
    return out;
  }

  createContainer(req: RunContainerRequest): Promise<string> {
    return this.containers.create(req);
  }

  runContainer(id: string, onOutput: (stream: OutputStream, chunk: Buffer) => void, signal?: AbortSignal): Promise<number> {
    return this.containers.run(id, onOutput, signal);
  }

  removeContainer(id: string): Promise<void> {
    return this.containers.remove(id);
  }

  async commitContainer(id: string, parent: BuildImage, child: ChildConfig): Promise<BuildImage> {
    const { upper, lowers } = await this.containers.upperForCommit(id);
    const layer = await ingestLayer(this.d, containerDiffTar(upper, lowers));
    return writeChildImage(this.d, parent, layer, child);
  }

  async createImage(parent: BuildImage, layerTar: Readable | undefined, child: ChildConfig): Promise<BuildImage> {
    const layer = layerTar ? await ingestLayer(this.d, layerTar) : undefined;
    return writeChildImage(this.d, parent, layer, child);
  }

  async withImageRoot<T>(image: BuildImage, fn: (root: string) => Promise<T>): Promise<T> {
    const base = builderPaths(this.d).mounts;
    await fs.mkdir(base, { recursive: true, mode: 0o700 });
    const dir = await fs.mkdtemp(path.join(base, 'root-'));
    const diffIds = image.config.rootfs.diff_ids;
    let mounted = false;
    try {
      if (diffIds.length > 0) {
        // A committed snapshot mounts as an overlay of lower directories only: read-only.
        mountAll(await this.d.snapshots.mounts(chainIds(diffIds).at(-1) as Digest), dir);
        mounted = true;
      }
      return await fn(dir);
    } finally {
      if (mounted) unmount(dir);
      await fs.rmdir(dir).catch(() => {});
    }
  }

  async tag(id: string, reference: string): Promise<void> {
    await imageTag(this.d, id, reference);
  }
}
