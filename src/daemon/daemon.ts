// The daemon's context: every verb in this folder takes one of these.
import type { ContentStore } from '../core/content.js';
import type { ContainerStore } from '../core/containers.js';
import type { EventBus } from '../core/events.js';
import type { ImageStore } from '../core/images.js';
import type { Runtime } from '../core/runtime.js';
import type { Snapshotter } from '../core/snapshots.js';

export interface DaemonConfig {
  dataRoot: string; // /var/lib/berth
  execRoot: string; // /run/berth
  hosts: string[];
  defaultRuntime: string;
  startedAt: Date;
}

export interface Daemon {
  config: DaemonConfig;
  content: ContentStore;
  snapshots: Snapshotter;
  images: ImageStore;
  containers: ContainerStore;
  runtime: Runtime;
  events: EventBus;
  /** Serialises state changes per object (container ID, image ID, name). */
  lock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Names claimed by creates and renames still in flight. */
  pendingNames: Set<string>;
}
