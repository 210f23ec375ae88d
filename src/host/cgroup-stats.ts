// Reads a container's resource counters from its cgroup (/berth/<id> under each v1 controller, or
// /sys/fs/cgroup/berth/<id> on the unified v2 hierarchy), plus the host figures `stats` needs.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';

const ROOT = '/sys/fs/cgroup';
/** USER_HZ, as Docker assumes (`getconf CLK_TCK`). */
const CLOCK_TICKS = 100;
const NS_PER_TICK = 1e9 / CLOCK_TICKS;

let unified: boolean | undefined;
/** Whether /sys/fs/cgroup is a cgroup v2 (unified) mount. */
export function cgroupV2(): boolean {
  unified ??= existsSync(`${ROOT}/cgroup.controllers`);
  return unified;
}

/** The container's cgroup directory for a v1 controller (ignored on v2); `root` for tests. */
export function cgroupDir(id: string, controller: string, v2 = cgroupV2(), root = ROOT): string {
  return v2 ? `${root}/berth/${id}` : `${root}/${controller}/berth/${id}`;
}

export interface BlkioEntry {
  major: number;
  minor: number;
  op: string;
  value: number;
}

/** Raw counters, in Docker's units (nanoseconds, bytes). */
export interface CgroupSample {
  read: Date;
  v2: boolean;
  cpuTotal: number;
  percpu?: number[];
  cpuKernel: number;
  cpuUser: number;
  throttling: { periods: number; throttled_periods: number; throttled_time: number };
  /** Sum of /proc/stat's cpu line in nanoseconds. */
  systemCpu: number;
  onlineCpus: number;
  memUsage: number;
  memMaxUsage?: number;
  memFailcnt?: number;
  /** The cgroup's limit (a huge number when unlimited). */
  memLimit: number;
  machineMemory: number;
  memStat: Record<string, number>;
  pidsCurrent: number;
  /** 0 when unlimited. */
  pidsLimit: number;
  ioServiceBytes: BlkioEntry[];
  ioServiced: BlkioEntry[];
}

async function text(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

const num = (s: string | undefined): number => {
  const n = Number((s ?? '').trim());
  return Number.isFinite(n) ? n : 0;
};

/** "key value" lines (memory.stat, cpu.stat, cpuacct.stat). */
export function keyValues(s: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of (s ?? '').split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && /^\d+$/.test(v)) out[k] = Number(v);
  }
  return out;
}

/** /proc/stat's first line (user nice system idle iowait irq softirq) in nanoseconds, as Docker sums it. */
export async function systemCpuUsage(): Promise<number> {
  const stat = (await text('/proc/stat')) ?? '';
  const line = stat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return 0;
  const fields = line.trim().split(/\s+/).slice(1, 8).map(Number);
  return fields.reduce((a, b) => a + b, 0) * NS_PER_TICK;
}

/** v1 blkio files: "8:0 Read 4096" lines (the "Total N" line is skipped). */
function blkioV1(s: string | undefined): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  for (const line of (s ?? '').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length !== 3) continue;
    const [major, minor] = f[0]!.split(':').map(Number);
    out.push({ major: major!, minor: minor!, op: f[1]!, value: Number(f[2]) });
  }
  return out;
}

/** v2 io.stat: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0". */
function ioStatV2(s: string | undefined): { bytes: BlkioEntry[]; ios: BlkioEntry[] } {
  const bytes: BlkioEntry[] = [];
  const ios: BlkioEntry[] = [];
  for (const line of (s ?? '').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 2) continue;
    const [major, minor] = f[0]!.split(':').map(Number);
    const kv = Object.fromEntries(f.slice(1).map((p) => p.split('=')));
    const e = (op: string, v: string | undefined) => ({ major: major!, minor: minor!, op, value: num(v) });
    bytes.push(e('read', kv.rbytes), e('write', kv.wbytes));
    ios.push(e('read', kv.rios), e('write', kv.wios));
  }
  return { bytes, ios };
}

/** One sample of the container's counters; undefined when its cgroup does not exist (not running). */
export async function readCgroupSample(id: string, v2 = cgroupV2(), root = ROOT): Promise<CgroupSample | undefined> {
  return v2 ? readV2(id, root) : readV1(id, root);
}

async function common() {
  const [systemCpu] = await Promise.all([systemCpuUsage()]);
  return { read: new Date(), systemCpu, onlineCpus: os.cpus().length || 1, machineMemory: os.totalmem() };
}

async function readV1(id: string, root: string): Promise<CgroupSample | undefined> {
  const dir = (controller: string) => cgroupDir(id, controller, false, root);
  const cpuacct = dir('cpuacct');
  const mem = dir('memory');
  const [usage, percpu, cpuacctStat, cpuStat, memUsage, memMax, memFail, memLimit, memStat, pidsCur, pidsMax, ioBytes, ioServiced, tBytes, tServiced] =
    await Promise.all([
      text(`${cpuacct}/cpuacct.usage`),
      text(`${cpuacct}/cpuacct.usage_percpu`),
      text(`${cpuacct}/cpuacct.stat`),
      text(`${dir('cpu')}/cpu.stat`),
      text(`${mem}/memory.usage_in_bytes`),
      text(`${mem}/memory.max_usage_in_bytes`),
      text(`${mem}/memory.failcnt`),
      text(`${mem}/memory.limit_in_bytes`),
      text(`${mem}/memory.stat`),
      text(`${dir('pids')}/pids.current`),
      text(`${dir('pids')}/pids.max`),
      text(`${dir('blkio')}/blkio.io_service_bytes_recursive`),
      text(`${dir('blkio')}/blkio.io_serviced_recursive`),
      text(`${dir('blkio')}/blkio.throttle.io_service_bytes`),
      text(`${dir('blkio')}/blkio.throttle.io_serviced`),
    ]);
  if (usage === undefined && memUsage === undefined && pidsCur === undefined) return undefined;
  const ticks = keyValues(cpuacctStat);
  const thr = keyValues(cpuStat);
  let bytes = blkioV1(ioBytes);
  let serviced = blkioV1(ioServiced);
  // Without CFQ the recursive files are empty; containerd then reads the throttle ones.
  if (bytes.length === 0) bytes = blkioV1(tBytes);
  if (serviced.length === 0) serviced = blkioV1(tServiced);
  return {
    ...(await common()),
    v2: false,
    cpuTotal: num(usage),
    percpu: percpu?.trim() ? percpu.trim().split(/\s+/).map(Number) : undefined,
    cpuKernel: (ticks.system ?? 0) * NS_PER_TICK,
    cpuUser: (ticks.user ?? 0) * NS_PER_TICK,
    throttling: { periods: thr.nr_periods ?? 0, throttled_periods: thr.nr_throttled ?? 0, throttled_time: thr.throttled_time ?? 0 },
    memUsage: num(memUsage),
    memMaxUsage: num(memMax),
    memFailcnt: num(memFail),
    memLimit: num(memLimit),
    memStat: keyValues(memStat),
    pidsCurrent: num(pidsCur),
    pidsLimit: pidsMax === undefined || pidsMax.trim() === 'max' ? 0 : num(pidsMax),
    ioServiceBytes: bytes,
    ioServiced: serviced,
  };
}

async function readV2(id: string, root: string): Promise<CgroupSample | undefined> {
  const dir = cgroupDir(id, '', true, root);
  const [cpuStat, memCur, memMax, memStat, pidsCur, pidsMax, ioStat] = await Promise.all(
    ['cpu.stat', 'memory.current', 'memory.max', 'memory.stat', 'pids.current', 'pids.max', 'io.stat'].map((f) => text(`${dir}/${f}`)),
  );
  if (cpuStat === undefined && memCur === undefined && pidsCur === undefined) return undefined;
  const cpu = keyValues(cpuStat);
  const io = ioStatV2(ioStat);
  return {
    ...(await common()),
    v2: true,
    cpuTotal: (cpu.usage_usec ?? 0) * 1000,
    cpuKernel: (cpu.system_usec ?? 0) * 1000,
    cpuUser: (cpu.user_usec ?? 0) * 1000,
    throttling: { periods: cpu.nr_periods ?? 0, throttled_periods: cpu.nr_throttled ?? 0, throttled_time: (cpu.throttled_usec ?? 0) * 1000 },
    memUsage: num(memCur),
    memLimit: memMax === undefined || memMax.trim() === 'max' ? Number.MAX_SAFE_INTEGER : num(memMax),
    memStat: keyValues(memStat),
    pidsCurrent: num(pidsCur),
    pidsLimit: pidsMax === undefined || pidsMax.trim() === 'max' ? 0 : num(pidsMax),
    ioServiceBytes: io.bytes,
    ioServiced: io.ios,
  };
}

/** The PIDs in the container's cgroup (cgroup.procs); [] when it has none or does not exist. */
export async function cgroupPids(id: string): Promise<number[]> {
  const s = await text(`${cgroupDir(id, 'pids')}/cgroup.procs`) ?? await text(`${cgroupDir(id, 'freezer')}/cgroup.procs`);
  return (s ?? '').split('\n').filter((l) => /^\d+$/.test(l.trim())).map(Number);
}
