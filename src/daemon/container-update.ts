// POST /containers/{id}/update: new resource limits (and restart policy) for a container; applied at once
// to a running one (`runc update`), and kept in its HostConfig for the next start.
import { mergeUpdate, verifyResources, type ResourceFields } from '../core/resources-validate.js';
import { ociResources } from '../core/resources-oci.js';
import type { RestartPolicy } from '../api/types.js';
import { invalidArgument, notFound } from '../errdefs/errors.js';
import { getContainer } from './container-lookup.js';
import { resourceApiError, resourceSysInfo } from './container-validate-resources.js';
import type { Daemon } from './daemon.js';

export type UpdateRequest = ResourceFields & { RestartPolicy?: RestartPolicy };

const RESTART_POLICIES = ['', 'no', 'always', 'unless-stopped', 'on-failure'];

export async function containerUpdate(d: Daemon, ref: string, body: UpdateRequest | undefined): Promise<{ Warnings: string[] | null }> {
  const found = getContainer(d, ref);
  const u: UpdateRequest = { ...(body ?? {}) };
  let warnings: string[];
  try {
    warnings = verifyResources(u, resourceSysInfo(), true);
  } catch (err) {
    throw resourceApiError(err);
  }
  const policy = u.RestartPolicy;
  if (policy?.Name !== undefined && !RESTART_POLICIES.includes(policy.Name)) {
    throw invalidArgument(`invalid restart policy '${policy.Name}'`);
  }
  if (policy?.Name && policy.Name !== 'on-failure' && (policy.MaximumRetryCount ?? 0) !== 0) {
    throw invalidArgument(`invalid restart policy: maximum retry count can only be used with 'on-failure'`);
  }
  if ((policy?.MaximumRetryCount ?? 0) < 0) throw invalidArgument('invalid restart policy: maximum retry count cannot be negative');
  await d.lock(found.id, async () => {
    const c = d.containers.get(found.id);
    if (!c) throw notFound(`No such container: ${ref}`);
    const before = JSON.stringify(c.hostConfig);
    const next = { ...c.hostConfig };
    try {
      mergeUpdate(next, u, c.id);
    } catch (err) {
      throw resourceApiError(err);
    }
    if (c.state.Running && !c.state.Restarting) {
      try {
        await d.runtime.update(c.id, ociResources(next, true) as Record<string, unknown>);
      } catch (err) {
        throw invalidArgument(`Cannot update container ${c.id}: ${(err as Error).message.trim()}`);
      }
    }
    c.hostConfig = next;
    try {
      await d.containers.save(c);
    } catch (err) {
      c.hostConfig = JSON.parse(before) as typeof c.hostConfig;
      throw err;
    }
  });
  d.events.publish('container', 'update', found.id, { image: found.config.Image ?? '', name: found.name.slice(1) });
  return { Warnings: warnings.length ? warnings : null };
}
