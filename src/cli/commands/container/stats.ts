// berth stats: CPU %, memory, block I/O and PIDs per container, computed as the docker CLI does.
import type { IncomingMessage } from 'node:http';
import type { EngineClient } from '../../../client/client.js';
import { send } from '../../../client/transport.js';
import { bytesSize, humanSize } from '../../../api/units.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';
import { formatRows } from '../../format/formatter.js';
import { jsonLines, watchContainerChanges, type ContainerChange } from './stats-events.js';

/** The parts of Docker's StatsJSON the CLI reads. */
export interface StatsBody {
  name?: string;
  id?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number; percpu_usage?: number[] }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> };
  blkio_stats?: { io_service_bytes_recursive?: Array<{ op: string; value: number }> | null };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
  pids_stats?: { current?: number };
}

export interface StatsEntry {
  container: string;
  name: string;
  id: string;
  cpuPercentage: number;
  memory: number;
  memoryLimit: number;
  memoryPercentage: number;
  networkRx: number;
  networkTx: number;
  blockRead: number;
  blockWrite: number;
  pidsCurrent: number;
  invalid: boolean;
}

export const STATS_DEFAULT_FORMAT = 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}';

const HEADERS: Record<string, string> = {
  Container: 'CONTAINER', ID: 'CONTAINER ID', Name: 'NAME', CPUPerc: 'CPU %', MemUsage: 'MEM USAGE / LIMIT',
  MemPerc: 'MEM %', NetIO: 'NET I/O', BlockIO: 'BLOCK I/O', PIDs: 'PIDS',
};

/** calculateCPUPercentUnix */
export function cpuPercent(v: StatsBody): number {
  const cpuDelta = (v.cpu_stats?.cpu_usage?.total_usage ?? 0) - (v.precpu_stats?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (v.cpu_stats?.system_cpu_usage ?? 0) - (v.precpu_stats?.system_cpu_usage ?? 0);
  let online = v.cpu_stats?.online_cpus ?? 0;
  if (online === 0) online = v.cpu_stats?.cpu_usage?.percpu_usage?.length ?? 0;
  return systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * online * 100 : 0;
}

/** calculateMemUsageUnixNoCache: usage minus inactive file pages (v1 total_inactive_file, v2 inactive_file). */
export function memUsageNoCache(mem: StatsBody['memory_stats'] = {}): number {
  const usage = mem.usage ?? 0;
  const stats = mem.stats ?? {};
  const v1 = stats.total_inactive_file;
  if (v1 !== undefined && v1 < usage) return usage - v1;
  const v2 = stats.inactive_file ?? 0;
  if (v2 < usage) return usage - v2;
  return usage;
}

export function statsEntry(container: string, v: StatsBody): StatsEntry {
  let blockRead = 0;
  let blockWrite = 0;
  for (const e of v.blkio_stats?.io_service_bytes_recursive ?? []) {
    const c = e.op[0];
    if (c === 'r' || c === 'R') blockRead += e.value;
    else if (c === 'w' || c === 'W') blockWrite += e.value;
  }
  let networkRx = 0;
  let networkTx = 0;
  for (const n of Object.values(v.networks ?? {})) {
    networkRx += n.rx_bytes ?? 0;
    networkTx += n.tx_bytes ?? 0;
  }
  const memory = memUsageNoCache(v.memory_stats);
  const memoryLimit = v.memory_stats?.limit ?? 0;
  return {
    container, name: v.name ?? '', id: v.id ?? '', cpuPercentage: cpuPercent(v), memory, memoryLimit,
    memoryPercentage: memoryLimit !== 0 ? (memory / memoryLimit) * 100 : 0,
    networkRx, networkTx, blockRead, blockWrite, pidsCurrent: v.pids_stats?.current ?? 0, invalid: false,
  };
}

const invalidEntry = (container: string): StatsEntry => ({
  container, name: '', id: '', cpuPercentage: 0, memory: 0, memoryLimit: 0, memoryPercentage: 0, networkRx: 0,
  networkTx: 0, blockRead: 0, blockWrite: 0, pidsCurrent: 0, invalid: true,
});

/** The fields `--format` sees (docker's statsContext). */
export function statsRow(s: StatsEntry, trunc: boolean) {
  const pct = (n: number) => `${n.toFixed(2)}%`;
  return {
    Container: s.container,
    Name: s.name.length > 1 ? s.name.slice(1) : '--',
    ID: trunc ? s.id.slice(0, 12) : s.id,
    CPUPerc: s.invalid ? '--' : pct(s.cpuPercentage),
    MemUsage: s.invalid ? '-- / --' : `${bytesSize(s.memory)} / ${bytesSize(s.memoryLimit)}`,
    MemPerc: s.invalid ? '--' : pct(s.memoryPercentage),
    NetIO: s.invalid ? '--' : `${humanSize(s.networkRx, 3)} / ${humanSize(s.networkTx, 3)}`,
    BlockIO: s.invalid ? '--' : `${humanSize(s.blockRead, 3)} / ${humanSize(s.blockWrite, 3)}`,
    PIDs: s.invalid ? '--' : String(s.pidsCurrent),
  };
}

interface Tracked {
  container: string;
  entry?: StatsEntry;
  error?: string;
  done: boolean;
  first: Promise<void>;
  res?: IncomingMessage;
}

function track(client: EngineClient, container: string, stream: boolean): Tracked {
  const t: Tracked = { container, done: false, first: Promise.resolve() };
  t.first = new Promise<void>((ready) => {
    (async () => {
      try {
        const res = await send(client.ep, `/containers/${encodeURIComponent(container)}/stats`, { query: { stream: stream ? 1 : 0 } });
        t.res = res;
        for await (const v of jsonLines<StatsBody>(res)) {
          t.entry = statsEntry(container, v);
          ready();
        }
      } catch (err) {
        t.error = describe(err);
        t.entry = invalidEntry(container);
      } finally {
        t.done = true;
        ready();
      }
    })();
  });
  return t;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const statsCommand = defineCommand({
  name: 'stats',
  usage: 'stats [OPTIONS] [CONTAINER...]',
  short: 'Display a live stream of container(s) resource usage statistics',
  flags: [
    { name: 'all', short: 'a', type: 'bool', usage: 'Show all containers (default shows just running)' },
    { name: 'format', type: 'string', usage: 'Format output using a custom template' },
    { name: 'no-stream', type: 'bool', usage: 'Disable streaming stats and only pull the first result' },
    { name: 'no-trunc', type: 'bool', usage: "Don't truncate output" },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const client = await ctx.getClient<EngineClient>();
    const noStream = Boolean(opts['no-stream']);
    const trunc = !opts['no-trunc'];
    const format = (opts.format as string) || STATS_DEFAULT_FORMAT;
    // Without names, a live view follows containers as they start and stop.
    const follow = args.length === 0 && !noStream;
    const tracked: Tracked[] = [];
    const onChange = (c: ContainerChange) => {
      const i = tracked.findIndex((t) => t.container === c.id);
      if (c.action === 'start' && i < 0) tracked.push(track(client, c.id, true));
      else if (i >= 0 && (c.action === 'destroy' || !opts.all)) tracked.splice(i, 1)[0].res?.destroy();
    };
    let events: IncomingMessage | undefined;
    let names = args;
    try {
      if (follow) events = await watchContainerChanges(client, onChange);
      if (names.length === 0) names = (await client.containerList({ all: opts.all ? 1 : undefined })).map((c) => c.Id);
    } catch (err) {
      events?.destroy();
      throw new Error(describe(err));
    }
    tracked.push(...names.filter((n) => !tracked.some((t) => t.container === n)).map((n) => track(client, n, !noStream)));
    await Promise.all(tracked.map((t) => t.first));
    if (args.length > 0) {
      const errs = tracked.filter((t) => t.error).map((t) => t.error!);
      if (errs.length > 0) {
        for (const t of tracked) t.res?.destroy();
        throw new Error(errs.join('\n'));
      }
    }
    const out = ctx.io.stdout;
    const render = () => {
      const rows = tracked.filter((t) => t.entry).map((t) => statsRow(t.entry!, trunc));
      if (!noStream && out.isTTY) out.write('\x1b[2J\x1b[H');
      out.write(formatRows(format, rows, HEADERS));
    };
    if (noStream) {
      render();
      return;
    }
    // Docker redraws every 500 ms until interrupted; with names we also stop once every stream has ended.
    let stop = false;
    const onSignal = () => (stop = true);
    process.once('SIGINT', onSignal);
    try {
      while (!stop) {
        render();
        if (!follow && tracked.every((t) => t.done)) break;
        await sleep(500);
      }
    } finally {
      process.removeListener('SIGINT', onSignal);
      for (const t of tracked) t.res?.destroy();
      events?.destroy();
    }
  },
});
