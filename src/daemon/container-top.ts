// GET /containers/{id}/top?ps_args=: the host's ps, keeping the container's processes.
import { parsePsOutput, psPidsArg, validatePsArgs, type TopResult } from '../core/stats-top.js';
import { conflict, internal } from '../errdefs/errors.js';
import { cgroupPids } from '../host/cgroup-stats.js';
import { runPs } from '../host/ps.js';
import { getContainer } from './container-lookup.js';
import type { Daemon } from './daemon.js';

export async function containerTop(d: Daemon, ref: string, psArgs?: string): Promise<TopResult> {
  const args = psArgs || '-ef';
  validatePsArgs(args);
  const c = getContainer(d, ref);
  if (!c.state.Running) throw conflict(`Container ${c.id} is not running`);
  if (c.state.Restarting) throw conflict(`Container ${c.id} is restarting, wait until the container is running`);
  const pids = await cgroupPids(c.id);
  if (pids.length === 0 && c.state.Pid > 0) pids.push(c.state.Pid);
  // Docker splits on single spaces, so "-o  pid" passes an empty argument, as there.
  const argv = args.split(' ');
  let out = await runPs([...argv, psPidsArg(pids)]);
  if (out.code !== 0) {
    // Some ps options (such as f) cannot be combined with -q: Docker retries without it.
    out = await runPs(argv);
    if (out.code !== 0) {
      const first = out.stderr.split('\n')[0] || `exit status ${out.code}`;
      throw internal(`ps: ${first}`);
    }
  }
  try {
    const result = parsePsOutput(out.stdout, pids);
    d.events.publish('container', 'top', c.id, { image: c.config.Image ?? '', name: c.name.slice(1) });
    return result;
  } catch (err) {
    throw internal(`${(err as Error).message}`);
  }
}

