// An exec session as the daemon keeps it (in memory only, as dockerd does), and the
// pure rules around it: what a create request means, Docker's event texts, the
// inspect view, and how a failed start is worded and classed.
import type { ExecCreateRequest, ExecInspect } from '../api/types.js';
import { invalidArgument, type ErrorKind } from '../errdefs/errors.js';

export interface ConsoleSize {
  height: number;
  width: number;
}

export interface ExecConfig {
  entrypoint: string;
  args: string[];
  /** The exec's own variables (-e), merged over the container's at start. */
  env: string[];
  user: string;
  /** Defaults to the container's WorkingDir at create, as in Docker. */
  workingDir: string;
  privileged: boolean;
  tty: boolean;
  openStdin: boolean;
  openStdout: boolean;
  openStderr: boolean;
  /** As given ("" = the default sequence). */
  detachKeys: string;
}

export interface ExecRecord {
  id: string;
  containerId: string;
  config: ExecConfig;
  running: boolean;
  /** null until it has run (or failed to start: 126). */
  exitCode: number | null;
  pid: number;
  /** Set by the garbage collector one round before it drops a finished exec (Docker's CanRemove). */
  canRemove: boolean;
}

/** The exec's configuration from a create request; `containerWorkingDir` is the default working directory. */
export function execConfigFrom(req: ExecCreateRequest, containerWorkingDir: string | undefined): ExecConfig {
  const cmd = req.Cmd ?? [];
  if (cmd.length === 0) throw invalidArgument('No exec command specified');
  return {
    entrypoint: cmd[0]!,
    args: cmd.slice(1),
    env: req.Env ?? [],
    user: req.User ?? '',
    workingDir: req.WorkingDir || containerWorkingDir || '',
    privileged: Boolean(req.Privileged),
    tty: Boolean(req.Tty),
    openStdin: Boolean(req.AttachStdin),
    openStdout: Boolean(req.AttachStdout),
    openStderr: Boolean(req.AttachStderr),
    detachKeys: req.DetachKeys ?? '',
  };
}

/** "exec_create: sh -c exit 4": dockerd joins entrypoint and arguments with a space (even when there are none). */
export function execAction(verb: 'exec_create' | 'exec_start', c: ExecConfig): string {
  return `${verb}: ${c.entrypoint} ${c.args.join(' ')}`;
}

export function execInspectView(r: ExecRecord): ExecInspect {
  const c = r.config;
  return {
    ID: r.id,
    Running: r.running,
    ExitCode: r.exitCode,
    ProcessConfig: {
      tty: c.tty,
      entrypoint: c.entrypoint,
      arguments: c.args,
      privileged: c.privileged,
      ...(c.user ? { user: c.user } : {}),
    },
    OpenStdin: c.openStdin,
    OpenStderr: c.openStderr,
    OpenStdout: c.openStdout,
    CanRemove: r.canRemove,
    ContainerID: r.containerId,
    DetachKeys: c.detachKeys,
    Pid: r.pid,
  };
}

/** `ConsoleSize: [height, width]` of a request; anything but two positive integers is no size. */
export function consoleSizeOf(v: unknown): ConsoleSize | undefined {
  if (!Array.isArray(v) || v.length !== 2) return undefined;
  const [height, width] = v as unknown[];
  if (!Number.isInteger(height) || !Number.isInteger(width) || (height as number) <= 0 || (width as number) <= 0) return undefined;
  return { height: height as number, width: width as number };
}

/** The exit code dockerd records for an exec that could not start, whatever the reason. */
export const EXEC_START_FAILED = 126;

/**
 * How dockerd classes a runtime's refusal to start an exec (translateContainerdStartErr):
 * a missing or unusable command is the caller's mistake (400), anything else a 500.
 */
export function execStartError(entrypoint: string, message: string): { kind: ErrorKind; message: string } {
  const lower = message.toLowerCase();
  // Docker lowercases only the message, so a command with capitals never matches here.
  const notFound =
    lower.includes(entrypoint) &&
    (lower.includes('executable file not found') || lower.includes('no such file or directory'));
  if (lower.includes('not a directory')) {
    return {
      kind: 'InvalidArgument',
      message: `${message}: Are you trying to mount a directory onto a file (or vice-versa)? Check if the specified host path exists and is the expected type`,
    };
  }
  if (notFound || lower.includes('permission denied')) return { kind: 'InvalidArgument', message };
  return { kind: 'Internal', message };
}
