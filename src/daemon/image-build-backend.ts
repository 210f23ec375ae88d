// The daemon's side of the builder (builder/dispatch/backend.ts): images from the store (pulled when
// missing, or always with --pull, as moby's GetImageAndReleasableLayer), the cache's candidates from the
// image records' parent links and container configs, RUN containers, and new images from a container, a
// layer tar or a config.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { JsonMessage } from '../api/types.js';
import type { BuildBackend, BuildImage, CacheCandidate, ChildConfig, OutputStream, RunContainerRequest } from '../builder/dispatch/backend.js';
import { convertToHostname, type AuthConfig } from '../distribution/auth-config.js';
import type { Distribution } from '../distribution/distribution.js';
import { DOCKER_HUB_INDEX_SERVER } from '../distribution/registry-hosts.js';
import { isNotFound } from '../errdefs/errors.js';
import { mountAll, unmount } from '../host/mount.js';
import { chainIds, type Digest } from '../oci/digest.js';
import { DEFAULT_DOMAIN, fullName, parseReference, withDefaultTag } from '../oci/reference.js';
import type { Daemon } from './daemon.js';
import { containerDiffTar, ingestLayer, writeChildImage } from './image-build-layer.js';
import { builderPaths } from './image-build-paths.js';
import { BuildContainers } from './image-build-run.js';
import { imagePull } from './image-pull.js';
import { resolveImage } from './image-resolve.js';
import { imageTag } from './image-tag.js';

/** How the build gets base images it does not have: the request's pull=1, its X-Registry-Config, where progress goes. */
export interface BuildPullOptions {
  /** The daemon's registry client; without it images are looked up locally only. */
  dist?: Distribution;
  /** `--pull`: pull even what is here, for a newer version. */
  always?: boolean;
  /** Registry (host, or Docker Hub's index URL) → credentials. */
  authConfigs?: Record<string, AuthConfig>;
  /** The pull's JSON messages, into the build's output stream. */
  progress?: (m: JsonMessage) => void;
  signal?: AbortSignal;
}

export class DaemonBuildBackend implements BuildBackend {
  private readonly containers: BuildContainers;

  constructor(
    private readonly d: Daemon,
    private readonly pull: BuildPullOptions = {},
  ) {
    this.containers = new BuildContainers(d);
  }

  async getImage(ref: string, opts: { localOnly?: boolean } = {}): Promise<BuildImage> {
    const dist = this.pull.dist;
    if (!opts.localOnly && dist) {
      if (this.pull.always || !this.hasImage(ref)) await this.pullImage(dist, ref);
    }
    const img = resolveImage(this.d, ref);
    return { id: img.id, config: img.config };
  }

  /** Whether `ref` names a local image; a malformed or ambiguous name is the lookup's own error. */
  private hasImage(ref: string): boolean {
    try {
      resolveImage(this.d, ref);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** moby's pullForBuilder: the name with :latest when it has no tag, with the credentials for its registry. */
  private async pullImage(dist: Distribution, ref: string): Promise<void> {
    const named = withDefaultTag(parseReference(ref));
    await imagePull(
      this.d,
      dist,
      { fromImage: fullName(named), auth: authFor(this.pull.authConfigs ?? {}, named.domain), signal: this.pull.signal },
      this.pull.progress ?? (() => {}),
    );
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

/** registry.ResolveAuthConfig: the entry under the registry's key, else one whose address has its hostname. */
function authFor(configs: Record<string, AuthConfig>, domain: string): AuthConfig | undefined {
  const official = domain === DEFAULT_DOMAIN;
  const key = official ? DOCKER_HUB_INDEX_SERVER : domain;
  if (key in configs || official) return configs[key];
  for (const [address, auth] of Object.entries(configs)) if (convertToHostname(address) === key) return auth;
  return undefined;
}
