// Image records and tags. An image's ID is the sha256 of its config blob.
import type { Digest } from '../oci/digest.js';
import type { ImageConfig } from '../oci/image.js';

export interface LayerRecord {
  /** Digest of the blob in the content store (compressed or not). */
  blob: Digest;
  mediaType: string;
  blobSize: number;
  diffId: Digest;
}

export interface ImageRecord {
  id: Digest;
  config: ImageConfig;
  layers: LayerRecord[];
  /** Sum of unpacked layer sizes, as Docker reports `Size`. */
  size: number;
  parent?: Digest;
  lastTagTime?: string;
}

export interface ImageStore {
  load(): Promise<void>;
  get(id: Digest): ImageRecord | undefined;
  list(): ImageRecord[];
  put(record: ImageRecord): Promise<void>;
  delete(id: Digest): Promise<void>;
  /** Full reference names (docker.io/library/busybox:latest) → image ID. */
  references(): ReadonlyMap<string, Digest>;
  referencesOf(id: Digest): string[];
  setReference(fullName: string, id: Digest): Promise<void>;
  deleteReference(fullName: string): Promise<void>;
}
