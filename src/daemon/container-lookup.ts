// Finds a container by full ID, name or unique ID prefix, in Docker's order.
import type { ContainerRecord } from '../core/containers.js';
import { findByPrefix } from '../core/id-index.js';
import { notFound } from '../errdefs/errors.js';
import type { Daemon } from './daemon.js';

export function findContainer(d: Daemon, ref: string): ContainerRecord | undefined {
  const byId = d.containers.get(ref);
  if (byId) return byId;
  const name = ref.startsWith('/') ? ref : `/${ref}`;
  const all = d.containers.list();
  const byName = all.find((c) => c.name === name);
  if (byName) return byName;
  if (!/^[a-f0-9]+$/.test(ref)) return undefined;
  const id = findByPrefix(all.map((c) => c.id), ref);
  return id ? d.containers.get(id) : undefined;
}

/** Throws Docker's "No such container: x" (404). */
export function getContainer(d: Daemon, ref: string): ContainerRecord {
  const c = findContainer(d, ref);
  if (!c) throw notFound(`No such container: ${ref}`);
  return c;
}
