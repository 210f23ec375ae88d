// What the dispatcher needs from the daemon (moby's builder.Backend, narrowed): images, the build cache's
// candidates, containers for RUN, and new images from a container, a layer tar or a config alone.
// Implemented by daemon/image-build-backend.ts; the builder never imports the daemon.
import type { Readable } from 'node:stream';
import type { ContainerConfig } from '../../api/types.js';
import type { ImageConfig } from '../../oci/image.js';

export interface BuildImage {
  /** sha256:… of the image; "" for `scratch`. */
  id: string;
  config: ImageConfig;
}

/** An image a cache probe may reuse: a child of the step's parent, with the config that made it. */
export interface CacheCandidate {
  id: string;
  containerConfig: ContainerConfig | undefined;
  /** RFC 3339 creation time; the newest match wins. */
  created: string;
}

/** A `RUN --mount=type=cache` directory: kept by the daemon across builds, keyed by `id`. */
export interface CacheMount {
  id: string;
  target: string;
  readOnly: boolean;
  sharing: 'shared' | 'private' | 'locked';
  mode: number;
  uid: number;
  gid: number;
}

export interface RunContainerRequest {
  /** The step's parent image ("" for scratch). */
  image: string;
  config: ContainerConfig;
  /** "default", "none" or "host". */
  network: string;
  cacheMounts: CacheMount[];
  /** `RUN --mount=type=tmpfs` targets. */
  tmpfs: Record<string, string>;
  /** Limits, as HostConfig fields (Memory, ShmSize, CpuShares…). */
  resources: Record<string, number | string>;
  /** Files to put in the container for the run (a heredoc script), keyed by their path inside. */
  files: Record<string, { data: string; mode: number }>;
}

/** How a new image relates to its parent (moby's image.ChildConfig). */
export interface ChildConfig {
  /** The image's runtime config (Cmd, Env… as the Dockerfile left them). */
  config: ContainerConfig;
  /** The config of the step that made it: its Cmd names the step, and the cache compares it. */
  containerConfig: ContainerConfig;
  /** The container the step ran in, if any. */
  container?: string;
  /** MAINTAINER, recorded as the image's and the history entry's author. */
  author?: string;
}

export type OutputStream = 'stdout' | 'stderr';

export interface BuildBackend {
  /**
   * An image by reference or ID. FROM and COPY --from may pull it (when it is missing, or always with
   * --pull), its progress going to the build's output, as moby's imageSources.Get; a failed pull fails
   * with the pull's error. `localOnly` looks in the store only (the cache's images, by ID).
   */
  getImage(ref: string, opts?: { localOnly?: boolean }): Promise<BuildImage>;
  /** Children of `parent` ("" = images built from scratch) the cache may reuse. */
  cacheCandidates(parent: string): CacheCandidate[];
  /** Creates the container a RUN step runs in; returns its ID. */
  createContainer(req: RunContainerRequest): Promise<string>;
  /** Starts the container, streams its output and resolves with its exit code once it has exited. */
  runContainer(id: string, onOutput: (stream: OutputStream, chunk: Buffer) => void, signal?: AbortSignal): Promise<number>;
  removeContainer(id: string): Promise<void>;
  /** A child of `parent` whose layer is what the container changed (none when nothing changed). */
  commitContainer(id: string, parent: BuildImage, child: ChildConfig): Promise<BuildImage>;
  /** A child of `parent` with `layer` (an uncompressed layer tar) on top, or config only when absent. */
  createImage(parent: BuildImage, layer: Readable | undefined, child: ChildConfig): Promise<BuildImage>;
  /** Runs `fn` with the image's root filesystem mounted read-only (an empty directory for scratch). */
  withImageRoot<T>(image: BuildImage, fn: (root: string) => Promise<T>): Promise<T>;
  /** Points `reference` (validated already) at the image. */
  tag(id: string, reference: string): Promise<void>;
}
