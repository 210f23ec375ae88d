// On-disk layout of the content store: the one place that knows these paths.
import path from 'node:path';
import { hexOf } from '../../oci/digest.js';

export interface ContentPaths {
  root: string;
  blobs: string;
  ingest: string;
  blob(digest: string): string;
}

/** `root` is `<dataRoot>/content`: blobs in `blobs/sha256/<hex>`, partial writes in `ingest/`. */
export function contentPaths(root: string): ContentPaths {
  const blobs = path.join(root, 'blobs', 'sha256');
  return {
    root,
    blobs,
    ingest: path.join(root, 'ingest'),
    blob: (digest) => path.join(blobs, hexOf(digest)),
  };
}
