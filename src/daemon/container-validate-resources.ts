// Checks a create request's resource settings before anything is made, and fills in Docker's defaults
// (MemorySwap 2× Memory, ShmSize 64 MiB) on the HostConfig that is stored (issue 3).
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import type { HostConfig } from '../api/types.js';
import { adaptHostConfig, ResourceError, verifyHostConfig, type ResourceSysInfo } from '../core/resources-validate.js';
import { conflict, invalidArgument } from '../errdefs/errors.js';

let cached: ResourceSysInfo | undefined;

/** The host's CPUs and whether swap can be limited, read once. */
export function resourceSysInfo(): ResourceSysInfo {
  if (cached) return cached;
  const ncpu = os.availableParallelism();
  const read = (f: string) => {
    try {
      return readFileSync(f, 'utf8').trim();
    } catch {
      return '';
    }
  };
  const cpus =
    read('/sys/fs/cgroup/cpuset/cpuset.cpus') || read('/sys/fs/cgroup/cpuset.cpus.effective') || (ncpu > 1 ? `0-${ncpu - 1}` : '0');
  const v1 = existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes');
  const swapLimit = v1 ? existsSync('/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes') : existsSync('/sys/fs/cgroup/cgroup.controllers');
  cached = { ncpu, cpus, swapLimit };
  return cached;
}

/** Maps a ResourceError to the API error kind Docker uses (400, or 409 for update conflicts). */
export function resourceApiError(err: unknown): unknown {
  if (!(err instanceof ResourceError)) return err;
  return err.conflict ? conflict(err.message) : invalidArgument(err.message);
}

export function validateResources(hostConfig: HostConfig): string[] {
  let warnings: string[];
  try {
    warnings = verifyHostConfig(hostConfig, resourceSysInfo());
  } catch (err) {
    throw resourceApiError(err);
  }
  adaptHostConfig(hostConfig);
  return warnings;
}
