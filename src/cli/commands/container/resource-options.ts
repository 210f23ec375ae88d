// Resource flags of run/create (--memory, --cpus, ...) and how they enter the request (issue 3).
// The value syntax and its errors are docker/cli's (opts.MemBytes, MemSwapBytes, NanoCPUs, UlimitOpt).
import type { CreateRequest } from '../../../api/types.js';
import { parseGoInt } from '../../flag-values.js';
import { parseRamInBytes, type FlagDef, type FlagValues } from '../../flags.js';

const ULIMIT_NAMES = new Set([
  'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice', 'nofile', 'nproc', 'rss', 'rtprio', 'rttime',
  'sigpending', 'stack',
]);

/** opts.ParseCPUs: a decimal number of CPUs → nano CPUs. */
export function parseCpus(value: string): number {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(value);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`failed to parse ${value} as a rational number`);
  let intPart = m[2] || '0';
  let frac = m[3] ?? '';
  let exp = m[4] ? Number(m[4]) : 0;
  // Shift the decimal point by the exponent, then by 9 places (nano).
  exp += 9;
  while (exp > 0) {
    intPart += frac[0] ?? '0';
    frac = frac.slice(1);
    exp--;
  }
  while (exp < 0) {
    frac = (intPart.at(-1) ?? '0') + frac;
    intPart = intPart.slice(0, -1) || '0';
    exp++;
  }
  if (/[1-9]/.test(frac)) throw new Error('value is too precise');
  const nano = Number(BigInt(intPart));
  return m[1] === '-' ? -nano : nano;
}

/** opts.MemSwapBytes: "-1" (unlimited) or a size. */
export function parseMemorySwap(value: string): number {
  return value === '-1' ? -1 : parseRamInBytes(value);
}

export interface Ulimit {
  Name: string;
  Soft: number;
  Hard: number;
}

/** units.ParseUlimit: "nofile=1024[:2048]". */
export function parseUlimit(value: string): Ulimit {
  const eq = value.indexOf('=');
  if (eq < 0) throw new Error(`invalid ulimit argument: ${value}`);
  const name = value.slice(0, eq);
  if (!ULIMIT_NAMES.has(name)) throw new Error(`invalid ulimit type: ${name}`);
  const vals = value.slice(eq + 1).split(':');
  if (vals.length > 2) {
    throw new Error(`too many limit value arguments - ${value.slice(eq + 1)}, can only have up to two, \`soft[:hard]\``);
  }
  const hard = vals.length === 2 ? parseGoInt(vals[1]) : undefined;
  const soft = parseGoInt(vals[0]);
  const h = hard ?? soft;
  if (h !== -1 && soft > h) throw new Error(`ulimit soft limit must be less than or equal to hard limit: ${soft} > ${h}`);
  return { Name: name, Hard: h, Soft: soft };
}

const check = (parse: (v: string) => unknown) => (raw: string) => {
  parse(raw);
};

/** The flags `update` shares with run/create. */
export const UPDATE_RESOURCE_FLAGS: FlagDef[] = [
  { name: 'cpu-period', type: 'int', usage: 'Limit CPU CFS (Completely Fair Scheduler) period' },
  { name: 'cpu-quota', type: 'int', usage: 'Limit CPU CFS (Completely Fair Scheduler) quota' },
  { name: 'cpu-shares', short: 'c', type: 'int', usage: 'CPU shares (relative weight)' },
  { name: 'cpus', type: 'string', valueName: 'decimal', usage: 'Number of CPUs', validate: check(parseCpus) },
  { name: 'cpuset-cpus', type: 'string', usage: 'CPUs in which to allow execution (0-3, 0,1)' },
  { name: 'cpuset-mems', type: 'string', usage: 'MEMs in which to allow execution (0-3, 0,1)' },
  { name: 'memory', short: 'm', type: 'bytes', usage: 'Memory limit' },
  { name: 'memory-reservation', type: 'bytes', usage: 'Memory soft limit' },
  { name: 'memory-swap', type: 'string', valueName: 'bytes', usage: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap", validate: check(parseMemorySwap) },
  { name: 'pids-limit', type: 'int', usage: 'Tune container pids limit (set -1 for unlimited)' },
];

export const RESOURCE_FLAGS: FlagDef[] = [
  ...UPDATE_RESOURCE_FLAGS,
  { name: 'shm-size', type: 'bytes', usage: 'Size of /dev/shm' },
  { name: 'tmpfs', type: 'stringArray', valueName: 'list', usage: 'Mount a tmpfs directory' },
  { name: 'ulimit', type: 'stringArray', valueName: 'ulimit', usage: 'Ulimit options', defaultText: '[]', validate: check(parseUlimit) },
];

/** The API `Resources` fields the shared flags set (only those given, as the docker CLI sends them). */
export function resourceFields(opts: FlagValues, changed: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Memory: opts.memory as number,
    MemoryReservation: opts['memory-reservation'] as number,
    MemorySwap: opts['memory-swap'] ? parseMemorySwap(opts['memory-swap'] as string) : 0,
    NanoCpus: opts.cpus ? parseCpus(opts.cpus as string) : 0,
    CpuShares: opts['cpu-shares'] as number,
    CpuQuota: opts['cpu-quota'] as number,
    CpuPeriod: opts['cpu-period'] as number,
    CpusetCpus: opts['cpuset-cpus'] as string,
    CpusetMems: opts['cpuset-mems'] as string,
  };
  if (changed.has('pids-limit')) out.PidsLimit = opts['pids-limit'] as number;
  return out;
}

export function applyResourceFlags(req: CreateRequest, opts: FlagValues, changed: ReadonlySet<string>): void {
  const h = (req.HostConfig ??= {});
  Object.assign(h, resourceFields(opts, changed));
  h.ShmSize = opts['shm-size'] as number;
  // Like UlimitOpt, a later value for the same name replaces an earlier one.
  const ulimits = new Map<string, Ulimit>();
  for (const v of opts.ulimit as string[]) {
    const u = parseUlimit(v);
    ulimits.set(u.Name, u);
  }
  h.Ulimits = [...ulimits.values()];
  const tmpfs = opts.tmpfs as string[];
  if (tmpfs.length) {
    const map: Record<string, string> = {};
    for (const t of tmpfs) {
      const colon = t.indexOf(':');
      map[colon < 0 ? t : t.slice(0, colon)] = colon < 0 ? '' : t.slice(colon + 1);
    }
    h.Tmpfs = map;
  }
}
