// Typed Dockerfile instructions, as buildkit's instructions package models them. Values are as written
// (not yet variable-expanded); see expand.ts for the instructions whose words Docker expands.

export interface Location {
  startLine: number;
  endLine: number;
}

interface Base {
  /** The original line, trimmed: what `docker build` prints after "Step N/M : ". */
  code: string;
  location: Location;
}

export interface KeyValuePair {
  key: string;
  value: string;
  /** Written in the old `ENV key value` form (no "="). */
  noDelim: boolean;
}

/** A heredoc body given as a COPY/ADD source. */
export interface SourceContent {
  path: string;
  data: string;
  /** False when the heredoc delimiter was quoted. */
  expand: boolean;
}

/** A heredoc body on a RUN/CMD/ENTRYPOINT line; `chomp` bodies lose leading tabs (chompHeredocContent). */
export interface ShellInlineFile {
  name: string;
  data: string;
  chomp: boolean;
}

export type MountType = 'bind' | 'cache' | 'tmpfs' | 'secret' | 'ssh';
export type ShareMode = 'shared' | 'private' | 'locked';

/** One `RUN --mount=...`. */
export interface RunMount {
  type: MountType;
  from?: string;
  source?: string;
  target?: string;
  readOnly: boolean;
  /** Cache id (`id=`), or the secret id. */
  cacheId?: string;
  cacheSharing?: ShareMode;
  required?: boolean;
  sizeLimit?: number;
  mode?: number;
  uid?: number;
  gid?: number;
}

/** Docker's container.HealthConfig; durations in nanoseconds, 0 = inherit/default. */
export interface HealthConfig {
  Test: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  StartInterval?: number;
  Retries?: number;
}

export interface ShellDependentCmdLine {
  /** Exec form: the argv; shell form: one string to run with the SHELL. */
  cmdLine: string[] | null;
  prependShell: boolean;
  files: ShellInlineFile[];
}

export interface EnvCommand extends Base { kind: 'env'; env: KeyValuePair[] }
export interface LabelCommand extends Base { kind: 'label'; labels: KeyValuePair[]; noExpand: boolean }
export interface MaintainerCommand extends Base { kind: 'maintainer'; maintainer: string }
export interface WorkdirCommand extends Base { kind: 'workdir'; path: string }
export interface UserCommand extends Base { kind: 'user'; user: string }
export interface StopSignalCommand extends Base { kind: 'stopsignal'; signal: string }
export interface ExposeCommand extends Base { kind: 'expose'; ports: string[] }
export interface VolumeCommand extends Base { kind: 'volume'; volumes: string[] }
export interface ShellCommand extends Base { kind: 'shell'; shell: string[] }
export interface OnbuildCommand extends Base { kind: 'onbuild'; expression: string }
export interface HealthcheckCommand extends Base { kind: 'healthcheck'; health: HealthConfig }

export interface ArgCommand extends Base {
  kind: 'arg';
  /** `value` is absent for `ARG name` (no default). */
  args: { key: string; value?: string }[];
}

export interface CopyCommand extends Base {
  kind: 'copy';
  sources: string[];
  sourceContents: SourceContent[];
  dest: string;
  from: string;
  chown: string;
  chmod: string;
  link: boolean;
}

export interface AddCommand extends Base {
  kind: 'add';
  sources: string[];
  sourceContents: SourceContent[];
  dest: string;
  chown: string;
  chmod: string;
  link: boolean;
  keepGitDir: boolean;
  checksum: string;
}

export interface RunCommand extends Base, ShellDependentCmdLine {
  kind: 'run';
  /**
   * `--mount` values as written, and parsed. A value holding `$` is only partly parsed here (its `from`
   * is known, the rest is not): the dispatcher always takes the mounts from expandRunMounts.
   */
  mountFlags: string[];
  mounts: RunMount[];
  network: 'default' | 'none' | 'host';
  /** Names of the flags given, in order (the classic builder refuses any). */
  flagsUsed: string[];
}

export interface CmdCommand extends Base, ShellDependentCmdLine { kind: 'cmd' }
export interface EntrypointCommand extends Base, ShellDependentCmdLine { kind: 'entrypoint' }

export type Command =
  | EnvCommand
  | LabelCommand
  | MaintainerCommand
  | WorkdirCommand
  | UserCommand
  | StopSignalCommand
  | ExposeCommand
  | VolumeCommand
  | ShellCommand
  | OnbuildCommand
  | HealthcheckCommand
  | ArgCommand
  | CopyCommand
  | AddCommand
  | RunCommand
  | CmdCommand
  | EntrypointCommand;

/** A FROM line and the instructions after it. */
export interface Stage {
  /** `AS name`, lower-cased; "" when unnamed. */
  name: string;
  /** The image or stage reference as written (may hold $ARGs, expanded with the global ARGs). */
  baseName: string;
  /** `--platform` as written. */
  platform: string;
  code: string;
  location: Location;
  /** A `# name description` comment above the FROM line. */
  comment: string;
  commands: Command[];
}
