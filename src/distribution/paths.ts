// On-disk layout of the registry client's own state (docs/dir.md):
//   <dataRoot>/distribution/ingest/<hex>.partial   blobs being downloaded, kept for a resumed pull
//   <dataRoot>/distribution/blob-sources.json     which repositories hold which blobs (push mounts)
import path from 'node:path';
import { hexOf } from '../oci/digest.js';

export interface DistributionPaths {
  root: string;
  ingest: string;
  partial(digest: string): string;
  blobSources: string;
}

export function distributionPaths(dataRoot: string): DistributionPaths {
  const root = path.join(dataRoot, 'distribution');
  const ingest = path.join(root, 'ingest');
  return {
    root,
    ingest,
    partial: (digest) => path.join(ingest, `${hexOf(digest)}.partial`),
    blobSources: path.join(root, 'blob-sources.json'),
  };
}
