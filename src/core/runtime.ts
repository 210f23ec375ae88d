// The OCI runtime as the daemon sees it: one shim (conmon) per container.
import type { Duplex } from 'node:stream';
import type { RuntimeProcess, RuntimeSpec } from '../oci/runtime-spec.js';

export interface CreateTaskOptions {
  id: string;
  bundle: string; // directory holding config.json
  spec: RuntimeSpec;
  logPath: string;
  logMaxSize?: number;
  terminal?: boolean;
  stdin?: boolean;
  /** Close the container's stdin when the first attached client ends it (docker run -i); else it stays open across attaches and daemon restarts. */
  stdinOnce?: boolean;
  runtime?: string; // runc (default) | crun
}

export interface TaskState {
  status: 'created' | 'running' | 'paused' | 'stopped';
  pid: number;
}

export interface ExitEvent {
  id: string;
  exitCode: number;
  exitedAt: Date;
  oomKilled: boolean;
}

export interface ExecTaskOptions {
  containerId: string;
  execId: string;
  /** The OCI process to run in the container (args, env, cwd, user, capabilities...). */
  process: RuntimeProcess;
  terminal: boolean;
  /** Give the process a stdin fed from the attach connection (else /dev/null). */
  stdin: boolean;
  /** Connect to the shim's attach socket before the process starts, so no output is lost. */
  attach: boolean;
}

export interface ExecTask {
  /** The process's pid on the host. */
  pid: number;
  /** The attach connection (as `attach()`), when asked for. */
  io?: Duplex;
  /** Settles with the exit code once the process has exited; `io` ends after its last output. */
  exited: Promise<number>;
}

export interface Runtime {
  /** Starts the shim and creates (but does not start) the container. Returns its pid. */
  create(opts: CreateTaskOptions): Promise<number>;
  /** Starts a created container; `pid` (from create) allows a start without forking the runtime. */
  start(id: string, pid?: number): Promise<void>;
  kill(id: string, signal: number): Promise<void>;
  /** Freezes / thaws every process of the container (cgroup freezer). */
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  /** Applies new resource limits to a running container (`runc update --r -`). */
  update(id: string, resources: Record<string, unknown>): Promise<void>;
  /** Removes the runtime's state; force also kills. Missing containers are not an error. */
  delete(id: string, force?: boolean): Promise<void>;
  state(id: string): Promise<TaskState | undefined>;
  /** The exit event recorded by the shim, if the container has exited. */
  exitStatus(id: string): Promise<ExitEvent | undefined>;
  /** Called once per container exit (also for exits that happened while we were down, via exitStatus). */
  onExit(listener: (e: ExitEvent) => void): void;
  /**
   * Cleans up after an exit the daemon has recorded (runtime state, exit
   * file) in the background; a later create() of the same ID waits for it.
   */
  release(id: string): void;
  /** After a crash: removes (killing if need be) every container but the `running` ones, and stale exit files. */
  sweep(running: ReadonlySet<string>): Promise<void>;
  close(): void;
  /**
   * Connects to the shim's attach socket of a created or running container:
   * what is written goes to the container's stdin (end() = stdin EOF), each
   * chunk read is one message whose first byte names the stream (2 stdout,
   * 3 stderr). Closing it without end() also closes stdin, so keep it open.
   */
  attach(id: string): Duplex;
  /** Sets the window size of a TTY container, or of a TTY exec (by its exec ID). */
  resize(id: string, height: number, width: number): Promise<void>;
  /** Makes the shim reopen the container's log file at its path (after the daemon rotated it). */
  reopenLog(id: string): Promise<void>;
  /**
   * Runs one more process in a running container through its own shim.
   * Resolves once it runs; rejects with the runtime's message when it cannot start.
   */
  exec(opts: ExecTaskOptions): Promise<ExecTask>;
  /** Called after create() has created a container and before start(): the moment to attach. */
  onCreated(listener: (id: string) => void): void;
}

/** Stream numbers in the shim's attach messages. */
export const ATTACH_STDOUT = 2;
export const ATTACH_STDERR = 3;
