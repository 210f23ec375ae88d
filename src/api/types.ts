// Engine API wire types (the subset berth serves), with Docker's field names.
export type Labels = Record<string, string>;

export interface HealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

/** Container.Config and the create request body's top level. */
export interface ContainerConfig {
  Hostname?: string;
  Domainname?: string;
  User?: string;
  AttachStdin?: boolean;
  AttachStdout?: boolean;
  AttachStderr?: boolean;
  ExposedPorts?: Record<string, object> | null;
  Tty?: boolean;
  OpenStdin?: boolean;
  StdinOnce?: boolean;
  Env?: string[] | null;
  Cmd?: string[] | null;
  Healthcheck?: HealthConfig;
  ArgsEscaped?: boolean;
  Image?: string;
  Volumes?: Record<string, object> | null;
  WorkingDir?: string;
  Entrypoint?: string[] | null;
  NetworkDisabled?: boolean;
  OnBuild?: string[] | null;
  Labels?: Labels | null;
  StopSignal?: string;
  StopTimeout?: number;
  Shell?: string[] | null;
}

export interface RestartPolicy {
  Name: '' | 'no' | 'always' | 'unless-stopped' | 'on-failure';
  MaximumRetryCount: number;
}

export interface HostConfig {
  Binds?: string[] | null;
  NetworkMode?: string;
  RestartPolicy?: RestartPolicy;
  AutoRemove?: boolean;
  Privileged?: boolean;
  ReadonlyRootfs?: boolean;
  Init?: boolean | null;
  Runtime?: string;
  LogConfig?: { Type: string; Config: Record<string, string> };
  [key: string]: unknown;
}

export interface CreateRequest extends ContainerConfig {
  HostConfig?: HostConfig;
  NetworkingConfig?: { EndpointsConfig?: Record<string, unknown> };
}

export interface ContainerState {
  Status: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
}

export interface ContainerInspect {
  Id: string;
  Created: string;
  Path: string;
  Args: string[];
  State: ContainerState;
  Image: string;
  ResolvConfPath: string;
  HostnamePath: string;
  HostsPath: string;
  LogPath: string;
  Name: string;
  RestartCount: number;
  Driver: string;
  Platform: string;
  MountLabel: string;
  ProcessLabel: string;
  AppArmorProfile: string;
  ExecIDs: string[] | null;
  HostConfig: HostConfig;
  GraphDriver: { Name: string; Data: Record<string, string> | null };
  Mounts: unknown[];
  Config: ContainerConfig;
  NetworkSettings: NetworkSettings;
}

export interface NetworkSettings {
  Bridge: string;
  SandboxID: string;
  SandboxKey: string;
  Ports: Record<string, unknown>;
  HostConfig?: never;
  Gateway: string;
  IPAddress: string;
  IPPrefixLen: number;
  MacAddress: string;
  Networks: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  ImageID: string;
  Command: string;
  Created: number;
  Ports: unknown[];
  Labels: Labels;
  State: string;
  Status: string;
  HostConfig: { NetworkMode: string };
  NetworkSettings: { Networks: Record<string, unknown> };
  Mounts: unknown[];
  SizeRw?: number;
  SizeRootFs?: number;
  /** berth (GET /system/df only): bytes of the container's log files, current and rotated. */
  SizeLogs?: number;
}

export interface ImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[];
  RepoDigests: string[];
  Created: number;
  Size: number;
  SharedSize: number;
  VirtualSize?: number;
  Labels: Labels | null;
  Containers: number;
}

export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  Created: string;
  DockerVersion: string;
  Author: string;
  Config: ContainerConfig;
  Architecture: string;
  Variant?: string;
  Os: string;
  Size: number;
  GraphDriver: { Name: string; Data: Record<string, string> | null };
  RootFS: { Type: 'layers'; Layers: string[] };
  Metadata: { LastTagTime: string };
}

export interface HistoryItem {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

export interface WaitResponse {
  StatusCode: number;
  Error?: { Message: string } | null;
}

/** POST /containers/{id}/exec body. */
export interface ExecCreateRequest {
  User?: string;
  Privileged?: boolean;
  Tty?: boolean;
  /** [height, width] */
  ConsoleSize?: [number, number] | null;
  AttachStdin?: boolean;
  AttachStderr?: boolean;
  AttachStdout?: boolean;
  DetachKeys?: string;
  Env?: string[] | null;
  WorkingDir?: string;
  Cmd?: string[] | null;
}

/** POST /exec/{id}/start body. */
export interface ExecStartRequest {
  Detach?: boolean;
  Tty?: boolean;
  ConsoleSize?: [number, number] | null;
}

/** GET /exec/{id}/json, field for field (and in order) as dockerd sends it. */
export interface ExecInspect {
  ID: string;
  Running: boolean;
  ExitCode: number | null;
  ProcessConfig: { tty: boolean; entrypoint: string; arguments: string[]; privileged: boolean; user?: string };
  OpenStdin: boolean;
  OpenStderr: boolean;
  OpenStdout: boolean;
  CanRemove: boolean;
  ContainerID: string;
  DetachKeys: string;
  Pid: number;
}

/** One line of a JSON progress stream (pull, import, load, build). */
/** One entry of GET /images/search. */
export interface ImageSearchResult {
  star_count: number;
  is_official: boolean;
  name: string;
  is_automated: boolean;
  description: string;
}

export interface JsonMessage {
  status?: string;
  id?: string;
  stream?: string;
  progressDetail?: { current?: number; total?: number };
  progress?: string;
  errorDetail?: { code?: number; message: string };
  error?: string;
  aux?: unknown;
}

export type Filters = Record<string, string[]>;
