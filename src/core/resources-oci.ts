// HostConfig resource settings → OCI runtime-spec pieces (linux.resources, process.rlimits, tmpfs mounts),
// as Docker's daemon/oci_linux.go builds them.
import type { HostConfig } from '../api/types.js';
import type { RuntimeMount } from '../oci/runtime-spec.js';
import { DEFAULT_SHM_SIZE } from './resources-validate.js';

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export interface OciResources {
  memory?: { limit?: number; swap?: number; reservation?: number };
  cpu?: { shares?: number; quota?: number; period?: number; cpus?: string; mems?: string };
  pids?: { limit: number };
}

/** The memory, cpu and pids parts of linux.resources (also the body of `runc update --resources`). */
export function ociResources(h: HostConfig, forUpdate = false): OciResources {
  const out: OciResources = {};
  const memory: NonNullable<OciResources['memory']> = {};
  if (num(h.Memory) !== 0) memory.limit = num(h.Memory);
  if (num(h.MemorySwap) !== 0) memory.swap = num(h.MemorySwap);
  if (num(h.MemoryReservation) !== 0) memory.reservation = num(h.MemoryReservation);
  if (Object.keys(memory).length) out.memory = memory;

  const cpu: NonNullable<OciResources['cpu']> = {};
  if (num(h.CpuShares) !== 0) cpu.shares = num(h.CpuShares);
  if (num(h.NanoCpus) > 0) {
    // --cpus N: a 100 ms period and N periods' worth of quota.
    cpu.period = 100000;
    cpu.quota = Math.round((num(h.NanoCpus) * 100000) / 1e9);
  } else {
    if (num(h.CpuPeriod) !== 0) cpu.period = num(h.CpuPeriod);
    if (num(h.CpuQuota) !== 0) cpu.quota = num(h.CpuQuota);
  }
  if (typeof h.CpusetCpus === 'string' && h.CpusetCpus) cpu.cpus = h.CpusetCpus;
  if (typeof h.CpusetMems === 'string' && h.CpusetMems) cpu.mems = h.CpusetMems;
  if (Object.keys(cpu).length) out.cpu = cpu;

  const pids = h.PidsLimit;
  if (typeof pids === 'number' && pids > 0) out.pids = { limit: pids };
  // runc needs -1 to lift a previous limit on update.
  else if (forUpdate) out.pids = { limit: -1 };
  return out;
}

interface Ulimit {
  Name: string;
  Soft: number;
  Hard: number;
}

/** --ulimit name=soft:hard → process.rlimits ("RLIMIT_NOFILE"). */
export function ociRlimits(h: HostConfig): Array<{ type: string; soft: number; hard: number }> {
  const list = (Array.isArray(h.Ulimits) ? h.Ulimits : []) as Ulimit[];
  return list.map((u) => ({ type: `RLIMIT_${u.Name.toUpperCase()}`, soft: num(u.Soft), hard: num(u.Hard) }));
}

/** /dev/shm size in bytes (Docker's default 64 MiB). */
export function shmSize(h: HostConfig): number {
  return num(h.ShmSize) > 0 ? num(h.ShmSize) : DEFAULT_SHM_SIZE;
}

/** HostConfig.Tmpfs {"/tmp": "size=64m,mode=1777"} → tmpfs mounts with Docker's default flags. */
export function tmpfsMounts(h: HostConfig): RuntimeMount[] {
  const tmpfs = (h.Tmpfs ?? {}) as Record<string, string>;
  return Object.entries(tmpfs).map(([destination, data]) => {
    const opts = data ? data.split(',').filter(Boolean) : [];
    const defaults = ['noexec', 'nosuid', 'nodev'].filter((d) => !opts.some((o) => o === d || o === d.replace(/^no/, '')));
    if (!opts.includes('ro') && !opts.includes('rw')) defaults.unshift('rw');
    return { destination, type: 'tmpfs', source: 'tmpfs', options: [...defaults, ...opts] };
  });
}
