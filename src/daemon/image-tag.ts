// POST /images/{name}/tag: points repo:tag at an image (201 on success).
import { invalidArgument } from '../errdefs/errors.js';
import {
  DEFAULT_TAG,
  familiarName,
  familiarRepository,
  fullName,
  parseReference,
  type Reference,
} from '../oci/reference.js';
import type { Daemon } from './daemon.js';
import { rfc3339Nano } from './image-filters.js';
import { resolveImage } from './image-resolve.js';
import { IMAGES_LOCK } from './image-usage.js';

const TAG_RE = /^[\w][\w.-]{0,127}$/;

/** Docker's httputils.RepoTagReference: repo (+ tag, default latest); undefined without a repo. */
export function repoTagReference(repo: string | undefined, tag: string | undefined): Reference | undefined {
  if (!repo) return undefined;
  const ref = parseReference(repo);
  if (ref.digest) throw invalidArgument('cannot import digest reference');
  if (tag) {
    if (!TAG_RE.test(tag)) throw invalidArgument('invalid tag format');
    return { domain: ref.domain, path: ref.path, tag };
  }
  return { ...ref, tag: ref.tag ?? DEFAULT_TAG };
}

export async function imageTag(d: Daemon, source: string, repo: string, tag?: string): Promise<void> {
  const ref = repoTagReference(repo, tag);
  if (!ref) throw invalidArgument('repository name must have at least one component');
  if (familiarRepository(ref) === 'sha256') {
    throw invalidArgument('refusing to create an ambiguous tag using digest algorithm as name');
  }
  await d.lock(IMAGES_LOCK, async () => {
    const img = resolveImage(d, source);
    await d.images.setReference(fullName(ref), img.id);
    await d.images.put({ ...img, lastTagTime: rfc3339Nano(new Date()) });
    d.events.publish('image', 'tag', img.id, { name: familiarName(ref) });
  });
}
