// Docker's checks and defaults for a container's resource settings (daemon/daemon_unix.go
// verifyPlatformContainerResources and adaptContainerSettings, container.UpdateContainer), as pure logic.
import type { HostConfig } from '../api/types.js';

/** What the host offers; gathered by the daemon. */
export interface ResourceSysInfo {
  /** CPUs usable by us (Go's runtime.NumCPU). */
  ncpu: number;
  /** The CPUs in our cpuset, e.g. "0-1". */
  cpus: string;
  /** Whether swap can be limited (cgroup v1 memory.memsw.*, v2 memory.swap.max). */
  swapLimit: boolean;
}

/** The resource fields of HostConfig (API `Resources`), as numbers where set. */
export interface ResourceFields {
  Memory?: number;
  MemorySwap?: number;
  MemoryReservation?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpuQuota?: number;
  CpuPeriod?: number;
  CpusetCpus?: string;
  CpusetMems?: string;
  PidsLimit?: number | null;
}

export const MIN_MEMORY = 6 * 1024 * 1024;
export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** An error whose message the API returns as is (400). */
export class ResourceError extends Error {
  override name = 'ResourceError';
  constructor(message: string, readonly conflict = false) {
    super(message);
  }
}

/** Parses "0-2,4" into CPU numbers; throws `invalid format: x`. */
export function parseUintList(list: string): Set<number> {
  const out = new Set<number>();
  if (list === '') return out;
  for (const part of list.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`invalid format: ${list}`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) throw new Error(`invalid format: ${list}`);
    for (let i = lo; i <= hi && i - lo < 4096; i++) out.add(i);
  }
  return out;
}

/**
 * Docker's verifyPlatformContainerResources. Returns warnings; throws ResourceError.
 * May adjust `r` (no swap limit on this kernel → MemorySwap -1), as Docker does.
 */
export function verifyResources(r: ResourceFields, sys: ResourceSysInfo, update: boolean): string[] {
  const warnings: string[] = [];
  const memory = num(r.Memory);
  if (memory !== 0 && memory < MIN_MEMORY) throw new ResourceError('Minimum memory limit allowed is 6MB');
  if (memory > 0 && num(r.MemorySwap) !== -1 && !sys.swapLimit) {
    warnings.push('Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.');
    r.MemorySwap = -1;
  }
  const swap = num(r.MemorySwap);
  if (memory > 0 && swap > 0 && swap < memory) {
    throw new ResourceError('Minimum memoryswap limit should be larger than memory limit, see usage');
  }
  if (memory === 0 && swap > 0 && !update) {
    throw new ResourceError('You should always set the Memory limit when using Memoryswap limit, see usage');
  }
  const reservation = num(r.MemoryReservation);
  if (reservation > 0 && reservation < MIN_MEMORY) throw new ResourceError('Minimum memory reservation allowed is 6MB');
  if (memory > 0 && reservation > 0 && memory < reservation) {
    throw new ResourceError('Minimum memory limit can not be less than memory reservation limit, see usage');
  }
  const nano = num(r.NanoCpus);
  const period = num(r.CpuPeriod);
  const quota = num(r.CpuQuota);
  if (nano > 0 && period > 0) throw new ResourceError('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (nano > 0 && quota > 0) throw new ResourceError('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  if (nano < 0 || nano > sys.ncpu * 1e9) {
    throw new ResourceError(`Range of CPUs is from 0.01 to ${sys.ncpu}.00, as there are only ${sys.ncpu} CPUs available`);
  }
  if (period !== 0 && (period < 1000 || period > 1000000)) {
    throw new ResourceError('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  }
  if (quota > 0 && quota < 1000) throw new ResourceError('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  const cpuset = r.CpusetCpus ?? '';
  if (cpuset !== '') {
    let requested: Set<number>;
    try {
      requested = parseUintList(cpuset);
    } catch (err) {
      throw new ResourceError(`Invalid value ${cpuset} for cpuset cpus: ${(err as Error).message}`);
    }
    const available = parseUintList(sys.cpus);
    if ([...requested].some((c) => !available.has(c))) {
      throw new ResourceError(`Requested CPUs are not available - requested ${cpuset}, available: ${sys.cpus}`);
    }
  }
  const mems = r.CpusetMems ?? '';
  if (mems !== '') {
    try {
      parseUintList(mems);
    } catch (err) {
      throw new ResourceError(`Invalid value ${mems} for cpuset mems: ${(err as Error).message}`);
    }
  }
  return warnings;
}

/** Checks the non-resource parts Docker checks at create (ShmSize), then the resources. */
export function verifyHostConfig(h: HostConfig, sys: ResourceSysInfo): string[] {
  if (num(h.ShmSize) < 0) throw new ResourceError('SHM size can not be less than 0');
  for (const u of (h.Ulimits as Array<{ Name?: string; Soft?: number; Hard?: number }> | null | undefined) ?? []) {
    if (!u || typeof u.Name !== 'string') throw new ResourceError('invalid ulimit');
  }
  return verifyResources(h as ResourceFields, sys, false);
}

/** Docker's adaptContainerSettings: default swap (2× memory), /dev/shm size, shares bounds, pids. */
export function adaptHostConfig(h: HostConfig): void {
  const shares = num(h.CpuShares);
  if (shares > 0 && shares < 2) h.CpuShares = 2;
  else if (shares > 262144) h.CpuShares = 262144;
  if (num(h.Memory) > 0 && num(h.MemorySwap) === 0) h.MemorySwap = num(h.Memory) * 2;
  if (!num(h.ShmSize)) h.ShmSize = DEFAULT_SHM_SIZE;
  if (typeof h.PidsLimit === 'number' && h.PidsLimit <= 0) h.PidsLimit = null;
  for (const k of ['Memory', 'MemorySwap', 'NanoCpus', 'CpuShares', 'CpuQuota', 'CpuPeriod', 'MemoryReservation'] as const) {
    h[k] = num(h[k]);
  }
  h.CpusetCpus = typeof h.CpusetCpus === 'string' ? h.CpusetCpus : '';
  h.CpusetMems = typeof h.CpusetMems === 'string' ? h.CpusetMems : '';
  if (h.PidsLimit === undefined) h.PidsLimit = null;
  if (!Array.isArray(h.Ulimits)) h.Ulimits = [];
  // Docker omits an empty Tmpfs (omitempty).
  if (h.Tmpfs === null || (typeof h.Tmpfs === 'object' && Object.keys(h.Tmpfs as object).length === 0)) delete h.Tmpfs;
}

/** container.UpdateContainer: merges an update into a container's HostConfig (in place). */
export function mergeUpdate(h: HostConfig, u: ResourceFields & { RestartPolicy?: { Name?: string; MaximumRetryCount?: number } }, id: string): void {
  const cannot = (m: string) => new ResourceError(`Cannot update container ${id}: ${m}`, true);
  const curPeriod = num(h.CpuPeriod);
  const curQuota = num(h.CpuQuota);
  const curNano = num(h.NanoCpus);
  if (num(u.NanoCpus) > 0 && curPeriod > 0) throw cannot('Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set');
  if (num(u.NanoCpus) > 0 && curQuota > 0) throw cannot('Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set');
  if (num(u.CpuPeriod) > 0 && curNano > 0) throw cannot('Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set');
  if (num(u.CpuQuota) > 0 && curNano > 0) throw cannot('Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set');
  if (num(u.Memory) !== 0 && num(u.Memory) > num(h.MemorySwap) && num(u.MemorySwap) === 0 && num(h.MemorySwap) !== -1) {
    throw cannot('Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time');
  }
  if (u.RestartPolicy?.Name && h.AutoRemove && u.RestartPolicy.Name !== 'no') {
    throw cannot('Restart policy cannot be updated because AutoRemove is enabled for the container');
  }
  for (const k of ['CpuShares', 'NanoCpus', 'CpuPeriod', 'CpuQuota', 'Memory', 'MemorySwap', 'MemoryReservation'] as const) {
    if (num(u[k]) !== 0) h[k] = num(u[k]);
  }
  if (u.CpusetCpus) h.CpusetCpus = u.CpusetCpus;
  if (u.CpusetMems) h.CpusetMems = u.CpusetMems;
  if (typeof u.PidsLimit === 'number') h.PidsLimit = u.PidsLimit <= 0 ? null : u.PidsLimit;
  if (u.RestartPolicy?.Name) {
    h.RestartPolicy = { Name: u.RestartPolicy.Name as 'no', MaximumRetryCount: num(u.RestartPolicy.MaximumRetryCount) };
  }
}
