// Blob uploads (distribution spec "pushing blobs"): POST to open a session, then either one PUT with
// the whole blob (small blobs of known digest: monolithic) or PATCH the bytes — streamed in one
// request, or in chunks of a fixed size with Content-Range — and PUT ?digest= to close.
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import type { RegistryRepository } from './registry-repository.js';

/** Blobs up to this size with a known digest go up in one PUT. */
export const MONOLITHIC_MAX = 4 << 20;

export interface UploadOptions {
  /** Known digest (verified against the bytes); computed from them otherwise. */
  digest?: string;
  size?: number;
  /** An upload session already open (a cross-repository mount the registry turned into one). */
  location?: URL;
  /** PATCH in chunks of this many bytes (0: one streamed PATCH, as dockerd does). */
  chunkSize?: number;
  /** Bytes read from `source` so far. */
  onBytes?(n: number): void;
}

export async function uploadBlob(
  repo: RegistryRepository,
  source: Readable,
  opts: UploadOptions = {},
): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const tap = (c: Buffer) => {
    hash.update(c);
    size += c.length;
    opts.onBytes?.(size);
  };
  let location = opts.location ?? (await startUpload(repo));

  if (opts.digest && opts.size !== undefined && opts.size <= MONOLITHIC_MAX) {
    const chunks: Buffer[] = [];
    for await (const c of source) {
      tap(c as Buffer);
      chunks.push(c as Buffer);
    }
    const digest = check(opts.digest, hash.digest('hex'));
    await repo.finishUpload(location, digest, Buffer.concat(chunks));
    return { digest, size };
  }

  if (opts.chunkSize && opts.chunkSize > 0) {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let sent = 0;
    const flush = async () => {
      const body = Buffer.concat(pending, pendingBytes);
      location = await repo.patchUpload(location, body, { start: sent, end: sent + body.length - 1 });
      sent += body.length;
      pending = [];
      pendingBytes = 0;
    };
    for await (const c of source) {
      tap(c as Buffer);
      pending.push(c as Buffer);
      pendingBytes += (c as Buffer).length;
      while (pendingBytes >= opts.chunkSize) {
        const all = Buffer.concat(pending, pendingBytes);
        pending = [all.subarray(opts.chunkSize)];
        pendingBytes = all.length - opts.chunkSize;
        const body = all.subarray(0, opts.chunkSize);
        location = await repo.patchUpload(location, body, { start: sent, end: sent + body.length - 1 });
        sent += body.length;
      }
    }
    if (pendingBytes > 0) await flush();
  } else {
    const tapped = new Transform({
      transform(c: Buffer, _enc, cb) {
        tap(c);
        cb(null, c);
      },
    });
    source.on('error', (err) => tapped.destroy(err));
    location = await repo.patchUpload(location, source.pipe(tapped));
  }
  const digest = check(opts.digest, hash.digest('hex'));
  await repo.finishUpload(location, digest);
  return { digest, size };
}

async function startUpload(repo: RegistryRepository): Promise<URL> {
  const s = await repo.startUpload();
  if (s.mounted) throw new Error('registry reported a mount for a plain upload');
  return s.location;
}

function check(expected: string | undefined, hex: string): string {
  const got = `sha256:${hex}`;
  if (expected && expected !== got) throw new Error(`digest mismatch while uploading: expected ${expected}, read ${got}`);
  return got;
}
