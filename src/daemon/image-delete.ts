// DELETE /images/{name}: Docker's rules (moby daemon/images/image_delete.go):
// by name untags that name; by ID removes the image and all its tags; soft
// conflicts (other tags, stopped containers) yield to force, running ones never.
import type { ImageRecord } from '../core/images.js';
import { conflict, kindOf } from '../errdefs/errors.js';
import { chainIds, hexOf, type Digest } from '../oci/digest.js';
import { familiarName, fullName, parseReference, repositoryName, withDefaultTag } from '../oci/reference.js';
import type { Daemon } from './daemon.js';
import { resolveImage } from './image-resolve.js';
import { containersUsing, IMAGES_LOCK, shortId } from './image-usage.js';

export interface ImageDeleteOptions {
  force?: boolean;
  noprune?: boolean;
}

export type ImageDeleteItem = { Untagged: string } | { Deleted: string };

export async function imageDelete(d: Daemon, name: string, opts: ImageDeleteOptions = {}): Promise<ImageDeleteItem[]> {
  return d.lock(IMAGES_LOCK, () => deleteImageLocked(d, name, opts.force ?? false, !(opts.noprune ?? false)));
}

const DEPENDENT_CHILD = 1;
const RUNNING_CONTAINER = 2;
const ACTIVE_REFERENCE = 4;
const STOPPED_CONTAINER = 8;
const HARD = DEPENDENT_CHILD | RUNNING_CONTAINER;
const SOFT = ACTIVE_REFERENCE | STOPPED_CONTAINER;

/** The delete itself; the caller holds IMAGES_LOCK (prune calls this in a loop). */
export async function deleteImageLocked(d: Daemon, imageRef: string, force: boolean, prune: boolean): Promise<ImageDeleteItem[]> {
  const img = resolveImage(d, imageRef);
  const id = img.id;
  const records: ImageDeleteItem[] = [];
  let refs = d.images.referencesOf(id);
  let removedRepositoryRef = false;

  if (!isIdPrefix(id, imageRef)) {
    // Untagging the last name of an image a container uses would leave it dangling: needs force.
    if (!force && isSingleReference(refs)) {
      const c = containersUsing(d, id)[0];
      if (c) {
        throw conflict(
          `conflict: unable to remove repository reference "${imageRef}" (must force) - container ${shortId(c.id)} is using its referenced image ${shortId(id)}`,
        );
      }
    }
    const parsed = withDefaultTag(parseReference(imageRef));
    await untag(d, id, fullName(parsed), records);
    refs = d.images.referencesOf(id);
    // The last tag of a repository also takes that repository's digest references.
    if (!parsed.digest) {
      const repo = repositoryName(parsed);
      if (!refs.some((r) => !isCanonical(r) && repoOf(r) === repo)) {
        for (const r of refs.filter((r) => isCanonical(r) && repoOf(r) === repo)) await untag(d, id, r, records);
        refs = d.images.referencesOf(id);
      }
    }
    if (refs.length > 0) return records;
    removedRepositoryRef = true;
  } else if (isSingleReference(refs)) {
    // By ID with all names in one repository: those names go with it.
    const mask = force ? HARD : HARD | (SOFT & ~ACTIVE_REFERENCE);
    const c = checkConflict(d, id, mask);
    if (c) throw conflict(c.message);
    for (const r of refs) await untag(d, id, r, records);
  }
  await deleteHelper(d, id, records, force, prune, removedRepositoryRef);
  return records;
}

async function deleteHelper(
  d: Daemon,
  id: Digest,
  records: ImageDeleteItem[],
  force: boolean,
  prune: boolean,
  quiet: boolean,
): Promise<void> {
  const c = checkConflict(d, id, force ? HARD : HARD | SOFT);
  if (c) {
    // After an untag, an image something still holds simply stays (untagged).
    if (quiet && (!isDangling(d, id) || c.used)) return;
    throw conflict(c.message);
  }
  const img = d.images.get(id)!;
  for (const r of d.images.referencesOf(id)) await untag(d, id, r, records);
  await d.images.delete(id);
  d.events.publish('image', 'delete', id, { name: id });
  records.push({ Deleted: id });
  for (const chainId of await releaseLayers(d, img)) records.push({ Deleted: chainId });
  // Without noprune, untagged parents go too (quietly stopping at any conflict).
  if (prune && img.parent && d.images.get(img.parent)) await deleteHelper(d, img.parent, records, false, true, true);
}

interface DeleteConflict {
  hard: boolean;
  used: boolean;
  message: string;
}

function checkConflict(d: Daemon, id: Digest, mask: number): DeleteConflict | undefined {
  const make = (hard: boolean, used: boolean, why: string): DeleteConflict => ({
    hard,
    used,
    message: `conflict: unable to delete ${shortId(id)} (${hard ? 'cannot be forced' : 'must be forced'}) - ${why}`,
  });
  if (mask & DEPENDENT_CHILD && d.images.list().some((i) => i.parent === id)) {
    return make(true, false, 'image has dependent child images');
  }
  if (mask & RUNNING_CONTAINER) {
    const c = containersUsing(d, id, true)[0];
    if (c) return make(true, true, `image is being used by running container ${shortId(c.id)}`);
  }
  if (mask & ACTIVE_REFERENCE && d.images.referencesOf(id).length > 0) {
    return make(false, false, 'image is referenced in multiple repositories');
  }
  if (mask & STOPPED_CONTAINER) {
    const c = containersUsing(d, id, false)[0];
    if (c) return make(false, true, `image is being used by stopped container ${shortId(c.id)}`);
  }
  return undefined;
}

/**
 * Removes the layer snapshots and blobs no remaining image uses. Returns the
 * chain IDs of the removed layers, top first, as Docker lists them.
 */
export async function releaseLayers(d: Daemon, img: ImageRecord): Promise<string[]> {
  const others = d.images.list().filter((i) => i.id !== img.id);
  const usedChains = new Set(others.flatMap((i) => chainIds(i.config.rootfs.diff_ids)));
  const removed: string[] = [];
  const chain = chainIds(img.config.rootfs.diff_ids);
  for (let i = chain.length - 1; i >= 0; i--) {
    // A used layer's parents are used too (chain IDs include their parents).
    if (usedChains.has(chain[i])) break;
    if (!(await d.snapshots.stat(chain[i]))) continue;
    try {
      await d.snapshots.remove(chain[i]);
    } catch (err) {
      // A container's snapshot still sits on it (rmi -f of an image in use): keep it.
      if (kindOf(err) === 'Conflict') break;
      throw err;
    }
    removed.push(chain[i]);
  }
  const usedBlobs = new Set<string>(others.flatMap((i) => [i.id, ...i.layers.map((l) => l.blob)]));
  for (const blob of [img.id, ...img.layers.map((l) => l.blob)]) {
    if (!usedBlobs.has(blob)) await d.content.delete(blob as Digest).catch(() => {});
  }
  return removed;
}

async function untag(d: Daemon, id: Digest, ref: string, records: ImageDeleteItem[]): Promise<void> {
  await d.images.deleteReference(ref);
  d.events.publish('image', 'untag', id, { name: id });
  records.push({ Untagged: familiarName(parseReference(ref)) });
}

function isIdPrefix(id: string, s: string): boolean {
  return id.startsWith(s) || hexOf(id).startsWith(s);
}

const isCanonical = (ref: string) => ref.includes('@');
const repoOf = (ref: string) => repositoryName(parseReference(ref));

function isDangling(d: Daemon, id: Digest): boolean {
  return d.images.referencesOf(id).length === 0 && !d.images.list().some((i) => i.parent === id);
}

/** All names in one repository, at most one of them a tag (digest references aside). */
function isSingleReference(refs: string[]): boolean {
  if (refs.length <= 1) return refs.length === 1;
  const tags = refs.filter((r) => !isCanonical(r));
  if (tags.length > 1) return false;
  const canonicalRepos = new Set(refs.filter(isCanonical).map(repoOf));
  const single = tags[0] ?? refs[0];
  return canonicalRepos.size === 1 && canonicalRepos.has(repoOf(single));
}
