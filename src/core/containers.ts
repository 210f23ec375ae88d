// The daemon's record of one container, persisted as containers/<id>/config.json.
import type { ContainerConfig, ContainerState, HostConfig } from '../api/types.js';
import type { Digest } from '../oci/digest.js';

export interface ContainerRecord {
  id: string;
  name: string; // with the leading slash, as Docker stores it
  created: string; // RFC3339Nano
  path: string;
  args: string[];
  config: ContainerConfig;
  hostConfig: HostConfig;
  image: Digest;
  state: ContainerState;
  restartCount: number;
  /** Whether the user stopped it (restart policies and unless-stopped look at this). */
  hasBeenManuallyStopped: boolean;
  runtime: string;
}

export function emptyState(): ContainerState {
  return {
    Status: 'created',
    Running: false,
    Paused: false,
    Restarting: false,
    OOMKilled: false,
    Dead: false,
    Pid: 0,
    ExitCode: 0,
    Error: '',
    StartedAt: ZERO_TIME,
    FinishedAt: ZERO_TIME,
  };
}

/** Go's zero time, which Docker prints for "never". */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

export interface ContainerStore {
  load(): Promise<void>;
  get(id: string): ContainerRecord | undefined;
  list(): ContainerRecord[];
  /**
   * Atomically persists the record (temp file, fsync, rename). `durable: false` skips the fsync: for
   * changes of runtime state only, which restore re-derives after a host crash (host/atomic-file.ts).
   */
  save(record: ContainerRecord, opts?: { durable?: boolean }): Promise<void>;
  delete(id: string): Promise<void>;
  /** The container's own directory (logs, hosts, bundle). */
  dir(id: string): string;
}
