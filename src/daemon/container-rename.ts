// POST /containers/{id}/rename?name=
import { validateName } from '../core/container-names.js';
import { conflict, invalidArgument } from '../errdefs/errors.js';
import { getContainer } from './container-lookup.js';
import type { Daemon } from './daemon.js';

export async function containerRename(d: Daemon, ref: string, newName: string): Promise<void> {
  if (!newName) throw invalidArgument('Neither old nor new names may be empty');
  const c = getContainer(d, ref);
  const full = validateName(newName);
  if (full === c.name) throw invalidArgument('Renaming a container with the same name as its current name');
  const owner = d.containers.list().find((x) => x.name === full);
  if (owner || d.pendingNames.has(full)) {
    throw conflict(
      `Error when allocating new name: Conflict. The container name "${full}" is already in use by container "${owner?.id ?? ''}". ` +
        'You have to remove (or rename) that container to be able to reuse that name.',
    );
  }
  const oldName = c.name;
  await d.lock(c.id, async () => {
    c.name = full;
    await d.containers.save(c);
  });
  d.events.publish('container', 'rename', c.id, { name: full.slice(1), oldName });
}
