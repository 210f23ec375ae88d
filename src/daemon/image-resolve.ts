// Finds an image the way Docker's GetImage does: a 64-hex or sha256: ID, a
// reference (`busybox` means docker.io/library/busybox:latest), then a unique
// ID prefix.
import type { ImageRecord } from '../core/images.js';
import { findByPrefix } from '../core/id-index.js';
import { notFound } from '../errdefs/errors.js';
import { hexOf, isDigest, type Digest } from '../oci/digest.js';
import { familiarName, fullName, parseReference, withDefaultTag } from '../oci/reference.js';
import type { Daemon } from './daemon.js';

const HEX64 = /^[a-f0-9]{64}$/;
const HEX = /^[a-f0-9]+$/;

/** The image, or undefined when there is none. Throws on a malformed name or an ambiguous prefix. */
export function findImage(d: Daemon, nameOrId: string): ImageRecord | undefined {
  return lookup(d, nameOrId).image;
}

/** The image, or NotFound with Docker's text: `No such image: busybox:latest`. */
export function resolveImage(d: Daemon, nameOrId: string): ImageRecord {
  const { image, shown } = lookup(d, nameOrId);
  if (!image) throw notFound(`No such image: ${shown}`);
  return image;
}

function lookup(d: Daemon, input: string): { image?: ImageRecord; shown: string } {
  // A full ID is a digest, never a name.
  const asDigest = HEX64.test(input) ? `sha256:${input}` : input;
  if (isDigest(asDigest)) return { image: d.images.get(asDigest), shown: asDigest };

  const ref = withDefaultTag(parseReference(input));
  const shown = familiarName(ref);
  const byName = d.images.references().get(fullName(ref));
  if (byName) return { image: d.images.get(byName), shown };

  const prefix = input.startsWith('sha256:') ? input.slice(7) : input;
  if (prefix && HEX.test(prefix)) {
    const hex = findByPrefix(
      d.images.list().map((img) => hexOf(img.id)),
      prefix,
    );
    if (hex) return { image: d.images.get(`sha256:${hex}` as Digest), shown };
  }
  return { shown };
}
