// The OCI process of an exec, built as dockerd builds it: the container's own
// process (capabilities, rlimits, no-new-privileges, apparmor, user) with the
// exec's command, environment, working directory, terminal and, if given, user;
// --privileged gives every capability the host has.
import type { ContainerConfig } from '../api/types.js';
import type { RuntimeProcess } from '../oci/runtime-spec.js';
import { mergeEnv } from './container-config.js';
import type { ConsoleSize, ExecConfig } from './exec-config.js';
import { DEFAULT_PATH } from './oci-defaults.js';
import type { ResolvedUser } from './user-lookup.js';

/**
 * dockerd's CreateDaemonEnvironment (PATH, HOSTNAME, TERM for a TTY exec) under the
 * container's Env, under the exec's own. HOME is left to the runtime, which sets it
 * from the exec user's passwd entry.
 */
export function execEnv(container: ContainerConfig, tty: boolean, own: string[]): string[] {
  const base = [DEFAULT_PATH, `HOSTNAME=${container.Hostname ?? ''}`];
  if (tty) base.push('TERM=xterm');
  return mergeEnv(mergeEnv(base, container.Env ?? []), own);
}

export interface ExecProcessInputs {
  /** The container's process from its bundle's config.json. */
  base: RuntimeProcess;
  config: ExecConfig;
  env: string[];
  /** The resolved `-u`, when one was given (else the container's user stays). */
  user?: ResolvedUser;
  /** Capability names of the host's bounding set, for --privileged. */
  allCapabilities: string[];
  consoleSize?: ConsoleSize;
}

export function buildExecProcess(i: ExecProcessInputs): RuntimeProcess {
  const { consoleSize: _containerSize, ...base } = i.base;
  const p: RuntimeProcess = {
    ...base,
    terminal: i.config.tty,
    args: [i.config.entrypoint, ...i.config.args],
    env: i.env,
    cwd: i.config.workingDir || '/',
  };
  if (i.user) p.user = { uid: i.user.uid, gid: i.user.gid, additionalGids: i.user.additionalGids };
  if (i.config.privileged) {
    const all = [...i.allCapabilities];
    p.capabilities = { bounding: all, effective: all, permitted: all, inheritable: [], ambient: [] };
  }
  if (i.config.tty && i.consoleSize) p.consoleSize = { ...i.consoleSize };
  return p;
}

/** Linux capability names by bit number (linux/capability.h). */
const CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN',
  'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

/**
 * The names in a capability mask as /proc/<pid>/status prints it (CapBnd: hex).
 * Bits the table does not name are left out (the runtime would not know them either).
 */
export function capabilityNames(maskHex: string): string[] {
  const mask = BigInt(`0x${maskHex.trim() || '0'}`);
  return CAPABILITIES.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}
