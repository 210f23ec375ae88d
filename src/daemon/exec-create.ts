// POST /containers/{id}/exec: records an exec session (nothing runs until it is started).
import { randomBytes } from 'node:crypto';
import { parseDetachKeys } from '../api/detach-keys.js';
import type { ExecCreateRequest } from '../api/types.js';
import { execAction, execConfigFrom } from '../core/exec-config.js';
import { internal, invalidArgument } from '../errdefs/errors.js';
import type { Daemon } from './daemon.js';
import { activeContainer } from './exec-container.js';
import { execStore } from './exec-store.js';

export function execCreate(d: Daemon, ref: string, req: ExecCreateRequest): { Id: string } {
  // dockerd's router refuses an empty command before looking at the container.
  if (!req.Cmd?.length) throw invalidArgument('No exec command specified');
  const c = activeContainer(d, ref);
  const config = execConfigFrom(req, c.config.WorkingDir);
  if (config.detachKeys) {
    try {
      parseDetachKeys(config.detachKeys);
    } catch {
      throw internal(`Invalid escape keys (${config.detachKeys}) provided`);
    }
  }
  const id = randomBytes(32).toString('hex');
  execStore(d).add({ id, containerId: c.id, config, running: false, exitCode: null, pid: 0, canRemove: false });
  d.events.publish('container', execAction('exec_create', config), c.id, {
    execID: id,
    image: c.config.Image ?? '',
    name: c.name.slice(1),
  });
  return { Id: id };
}
