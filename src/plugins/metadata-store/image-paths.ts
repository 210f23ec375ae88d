// On-disk layout of the image store (the metadata-store's image half).
import path from 'node:path';
import { hexOf } from '../../oci/digest.js';

export interface ImagePaths {
  root: string;
  records: string;
  record(id: string): string;
  /** Full reference name → image ID. */
  repositories: string;
}

/** `<dataRoot>/image/records/<hex>.json` and `<dataRoot>/image/repositories.json`. */
export function imagePaths(dataRoot: string): ImagePaths {
  const root = path.join(dataRoot, 'image');
  const records = path.join(root, 'records');
  return {
    root,
    records,
    record: (id) => path.join(records, `${hexOf(id)}.json`),
    repositories: path.join(root, 'repositories.json'),
  };
}
