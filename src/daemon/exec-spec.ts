// The OCI process of an exec, from the container's bundle/config.json and, for
// `-u`, the container's own /etc/passwd and /etc/group (core/exec-process.ts
// holds the rules). Small synchronous reads: this is on the hot path of exec.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ContainerRecord } from '../core/containers.js';
import type { ConsoleSize, ExecConfig } from '../core/exec-config.js';
import { buildExecProcess, capabilityNames, execEnv } from '../core/exec-process.js';
import { resolveUser, type ResolvedUser } from '../core/user-lookup.js';
import { internal } from '../errdefs/errors.js';
import type { RuntimeProcess, RuntimeSpec } from '../oci/runtime-spec.js';
import { containerFiles } from './container-files.js';
import type { Daemon } from './daemon.js';

export function execSpecFor(d: Daemon, c: ContainerRecord, config: ExecConfig, consoleSize?: ConsoleSize): RuntimeProcess {
  const files = containerFiles(d, c.id);
  let base: RuntimeProcess;
  try {
    base = (JSON.parse(readFileSync(path.join(files.bundle, 'config.json'), 'utf8')) as RuntimeSpec).process;
  } catch (err) {
    throw internal(`reading the runtime spec of ${c.id}: ${(err as Error).message}`, err);
  }
  let user: ResolvedUser | undefined;
  if (config.user) {
    const read = (f: string) => {
      try {
        return readFileSync(path.join(files.rootfs, f), 'utf8');
      } catch {
        return '';
      }
    };
    try {
      user = resolveUser(config.user, read('etc/passwd'), read('etc/group'));
    } catch (err) {
      // dockerd answers this one with a plain 500.
      throw internal((err as Error).message, err);
    }
  }
  return buildExecProcess({
    base,
    config,
    env: execEnv(c.config, config.tty, config.env),
    user,
    allCapabilities: config.privileged ? hostCapabilities() : [],
    consoleSize,
  });
}

let hostCaps: string[] | undefined;

/** "All capabilities" for --privileged: those in berthd's own bounding set, which a child can have. */
function hostCapabilities(): string[] {
  if (!hostCaps) {
    const m = /^CapBnd:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    hostCaps = capabilityNames(m?.[1] ?? '0');
  }
  return hostCaps;
}
