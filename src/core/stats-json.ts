// Docker's StatsJSON (GET /containers/{id}/stats), built from raw cgroup counters. Pure.

export interface StatsBlkioEntry {
  major: number;
  minor: number;
  op: string;
  value: number;
}

/** What the host layer reads from a container's cgroup (nanoseconds, bytes). */
export interface StatsSample {
  read: Date;
  v2: boolean;
  cpuTotal: number;
  percpu?: number[];
  cpuKernel: number;
  cpuUser: number;
  throttling: { periods: number; throttled_periods: number; throttled_time: number };
  systemCpu: number;
  onlineCpus: number;
  memUsage: number;
  memMaxUsage?: number;
  memFailcnt?: number;
  memLimit: number;
  machineMemory: number;
  memStat: Record<string, number>;
  pidsCurrent: number;
  pidsLimit: number;
  ioServiceBytes: StatsBlkioEntry[];
  ioServiced: StatsBlkioEntry[];
}

export interface CpuStats {
  cpu_usage: { total_usage: number; percpu_usage?: number[]; usage_in_kernelmode: number; usage_in_usermode: number };
  system_cpu_usage?: number;
  online_cpus?: number;
  throttling_data: { periods: number; throttled_periods: number; throttled_time: number };
}

export interface StatsJson {
  read: string;
  preread: string;
  pids_stats: { current?: number; limit?: number };
  blkio_stats: {
    io_service_bytes_recursive: StatsBlkioEntry[] | null;
    io_serviced_recursive: StatsBlkioEntry[] | null;
    io_queue_recursive: StatsBlkioEntry[] | null;
    io_service_time_recursive: StatsBlkioEntry[] | null;
    io_wait_time_recursive: StatsBlkioEntry[] | null;
    io_merged_recursive: StatsBlkioEntry[] | null;
    io_time_recursive: StatsBlkioEntry[] | null;
    sectors_recursive: StatsBlkioEntry[] | null;
  };
  num_procs: number;
  storage_stats: Record<string, never>;
  cpu_stats: CpuStats;
  precpu_stats: CpuStats;
  memory_stats: { usage?: number; max_usage?: number; failcnt?: number; stats?: Record<string, number>; limit?: number };
  name: string;
  id: string;
}

/** Go's zero time as Docker's JSON encoder writes it. */
const ZERO = '0001-01-01T00:00:00Z';

/** RFC3339Nano with the nanoseconds a JS Date has (milliseconds), trailing zeros trimmed as Go does. */
export function rfc3339Nano(t: Date): string {
  return t.toISOString().replace(/\.?0*Z$/, 'Z');
}

const emptyCpu = (): CpuStats => ({
  cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 },
  throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
});

const emptyBlkio = (list: StatsBlkioEntry[] | null = null, serviced: StatsBlkioEntry[] | null = null): StatsJson['blkio_stats'] => ({
  io_service_bytes_recursive: list,
  io_serviced_recursive: serviced,
  io_queue_recursive: null,
  io_service_time_recursive: null,
  io_wait_time_recursive: null,
  io_merged_recursive: null,
  io_time_recursive: null,
  sectors_recursive: null,
});

/** What Docker answers for a container that is not running: zero values with name and ID. */
export function emptyStats(name: string, id: string): StatsJson {
  return {
    read: ZERO,
    preread: ZERO,
    pids_stats: {},
    blkio_stats: emptyBlkio(),
    num_procs: 0,
    storage_stats: {},
    cpu_stats: emptyCpu(),
    precpu_stats: emptyCpu(),
    memory_stats: {},
    name,
    id,
  };
}

function cpuStats(s: StatsSample): CpuStats {
  const usage: CpuStats['cpu_usage'] = { total_usage: s.cpuTotal, usage_in_kernelmode: s.cpuKernel, usage_in_usermode: s.cpuUser };
  if (s.percpu?.length) usage.percpu_usage = s.percpu;
  return { cpu_usage: usage, system_cpu_usage: s.systemCpu, online_cpus: s.onlineCpus, throttling_data: { ...s.throttling } };
}

/** Builds one StatsJSON; `prev` (the sample before, if any) fills precpu_stats and preread. */
export function statsJson(name: string, id: string, s: StatsSample, prev?: StatsSample): StatsJson {
  // Unlimited (or above the machine's memory): Docker reports the machine's memory as the limit.
  const limit = s.memLimit > s.machineMemory && s.machineMemory > 0 ? s.machineMemory : s.memLimit;
  const memory: StatsJson['memory_stats'] = { usage: s.memUsage };
  if (!s.v2 && s.memMaxUsage) memory.max_usage = s.memMaxUsage;
  if (!s.v2 && s.memFailcnt) memory.failcnt = s.memFailcnt;
  memory.stats = sortedKeys(s.memStat);
  memory.limit = limit;
  const pids: StatsJson['pids_stats'] = { current: s.pidsCurrent };
  if (s.pidsLimit > 0) pids.limit = s.pidsLimit;
  return {
    read: rfc3339Nano(s.read),
    preread: prev ? rfc3339Nano(prev.read) : ZERO,
    pids_stats: pids,
    blkio_stats: emptyBlkio(s.ioServiceBytes, s.ioServiced),
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuStats(s),
    precpu_stats: prev ? cpuStats(prev) : emptyCpu(),
    memory_stats: memory,
    name,
    id,
  };
}

function sortedKeys(m: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
