// Content-addressable blob store: blobs by sha256 digest, verified on write.
import type { Readable } from 'node:stream';
import type { Digest } from '../oci/digest.js';

export interface BlobInfo {
  digest: Digest;
  size: number;
}

/** A streaming write; nothing is visible until commit() verifies the digest. */
export interface ContentWriter {
  write(chunk: Buffer): Promise<void>;
  /** Verifies (when `expected` is given), fsyncs and renames into place. */
  commit(expected?: Digest): Promise<BlobInfo>;
  /** Drops the partial data. Safe to call after a failed commit. */
  abort(): Promise<void>;
}

export interface ContentStore {
  has(digest: Digest): Promise<boolean>;
  /** Throws NotFound. */
  info(digest: Digest): Promise<BlobInfo>;
  read(digest: Digest): Promise<Buffer>;
  createReadStream(digest: Digest): Readable;
  /** Writes a whole buffer; throws InvalidArgument when `expected` does not match. */
  put(data: Buffer, expected?: Digest): Promise<BlobInfo>;
  writer(): Promise<ContentWriter>;
  delete(digest: Digest): Promise<void>;
  list(): Promise<BlobInfo[]>;
}
