// The container an exec runs in, with dockerd's refusals and their exact words.
// Create (getActiveContainer) and start/resize (getExecConfig) word them differently.
import type { ContainerRecord } from '../core/containers.js';
import { containerStatus } from '../core/container-status.js';
import type { ExecRecord } from '../core/exec-config.js';
import { conflict, internal, notFound } from '../errdefs/errors.js';
import { getContainer } from './container-lookup.js';
import type { Daemon } from './daemon.js';

const paused = (ref: string) => conflict(`Container ${ref} is paused, unpause the container before exec`);
const restarting = (id: string) => conflict(`Container ${id} is restarting, wait until the container is running`);

/** For exec create: the running container `ref` names (the paused message repeats `ref` as given). */
export function activeContainer(d: Daemon, ref: string): ContainerRecord {
  const c = getContainer(d, ref);
  if (!c.state.Running) throw conflict(`Container ${c.id} is not running`);
  if (c.state.Paused) throw paused(ref);
  if (c.state.Restarting) throw restarting(c.id);
  return c;
}

/** For exec start and resize: the exec's container, still there and running. */
export function execContainer(d: Daemon, r: ExecRecord): ContainerRecord {
  const c = d.containers.get(r.containerId);
  // Its container was removed under it (dockerd words it with the exec ID too).
  if (!c) throw notFound(`No such container: ${r.id}`);
  if (!c.state.Running) throw internal(`Container ${c.id} is not running: ${containerStatus(c.state)}`);
  if (c.state.Paused) throw paused(c.id);
  if (c.state.Restarting) throw restarting(c.id);
  return c;
}
