// Which containers use an image (rmi and prune refuse to pull it from under them).
import type { ContainerRecord } from '../core/containers.js';
import type { Digest } from '../oci/digest.js';
import { hexOf } from '../oci/digest.js';
import type { Daemon } from './daemon.js';

/**
 * The d.lock key every change to images, tags or layer snapshots takes, so a
 * delete never releases a layer an import or pull is about to reuse.
 */
export const IMAGES_LOCK = 'images';

/** Containers created from `id`; `running` narrows to running (or not running) ones. */
export function containersUsing(d: Daemon, id: Digest, running?: boolean): ContainerRecord[] {
  return d.containers
    .list()
    .filter((c) => c.image === id && (running === undefined || c.state.Running === running));
}

/** Docker's short form of an ID: the first 12 hex characters. */
export function shortId(id: string): string {
  return hexOf(id).slice(0, 12);
}
