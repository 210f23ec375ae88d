// The distribution API of one repository: manifests, blobs (ranged reads, uploads, cross-repository
// mounts) and tags. Failures carry the registry's own error (RegistryError) or its status.
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { sha256 } from '../oci/digest.js';
import { discard, readBody } from './http-transport.js';
import { MANIFEST_ACCEPT } from './manifest.js';
import { errorFromResponse, UnexpectedResponseError } from './registry-errors.js';
import { nextLink, parseJson, type RegistrySession } from './registry-session.js';

/** Manifests larger than this are refused (distribution's own limit is 4 MiB). */
export const MAX_MANIFEST_BYTES = 4 << 20;

export interface FetchedManifest {
  bytes: Buffer;
  /** sha256 of the bytes (what a by-digest reference names). */
  digest: string;
  /** The registry's Docker-Content-Digest header, if any. */
  headerDigest?: string;
  contentType?: string;
}

export class RegistryRepository {
  constructor(
    readonly session: RegistrySession,
    /** Path within the registry: library/busybox. */
    readonly path: string,
    /** Ask for push rights too (push sessions). */
    readonly push = false,
  ) {}

  get scopes(): string[] {
    return [`repository:${this.path}:${this.push ? 'pull,push' : 'pull'}`];
  }

  private ok(res: IncomingMessage, ...codes: number[]): Promise<void> {
    if (codes.includes(res.statusCode ?? 0)) return Promise.resolve();
    return readBody(res, 1 << 20).then(
      (body) => {
        throw errorFromResponse(res.statusCode ?? 0, res.headers, body);
      },
      () => {
        throw errorFromResponse(res.statusCode ?? 0, res.headers, Buffer.alloc(0));
      },
    );
  }

  /** GET /v2/<name>/manifests/<reference> */
  async getManifest(reference: string, accept: string[] = MANIFEST_ACCEPT): Promise<FetchedManifest> {
    const res = await this.session.request('GET', `/v2/${this.path}/manifests/${reference}`, {
      scopes: this.scopes,
      headers: { Accept: accept.join(', ') },
    });
    await this.ok(res, 200);
    const bytes = await readBody(res, MAX_MANIFEST_BYTES);
    const header = res.headers['docker-content-digest'];
    return {
      bytes,
      digest: sha256(bytes),
      headerDigest: typeof header === 'string' && header ? header : undefined,
      contentType: res.headers['content-type'],
    };
  }

  /** HEAD /v2/<name>/manifests/<reference>: its digest, or undefined when the registry has none. */
  async headManifest(reference: string, accept: string[] = MANIFEST_ACCEPT): Promise<string | undefined> {
    const res = await this.session.request('HEAD', `/v2/${this.path}/manifests/${reference}`, {
      scopes: this.scopes,
      headers: { Accept: accept.join(', ') },
    });
    discard(res);
    if (res.statusCode === 404) return undefined;
    if (res.statusCode !== 200) throw errorFromResponse(res.statusCode ?? 0, res.headers, Buffer.alloc(0));
    const d = res.headers['docker-content-digest'];
    return typeof d === 'string' ? d : undefined;
  }

  /** PUT /v2/<name>/manifests/<reference>; returns the digest the registry computed. */
  async putManifest(reference: string, mediaType: string, bytes: Buffer): Promise<string> {
    const res = await this.session.request('PUT', `/v2/${this.path}/manifests/${reference}`, {
      scopes: this.scopes,
      headers: { 'Content-Type': mediaType },
      body: bytes,
    });
    await this.ok(res, 201, 200, 202);
    discard(res);
    const d = res.headers['docker-content-digest'];
    return typeof d === 'string' && d ? d : sha256(bytes);
  }

  /**
   * GET /v2/<name>/blobs/<digest>, from byte `offset` on (Range). The response is 200 (whole blob: the
   * registry ignored the range) or 206; anything else is thrown.
   */
  async getBlob(digest: string, offset = 0): Promise<IncomingMessage> {
    const headers: Record<string, string> = {};
    if (offset > 0) headers.Range = `bytes=${offset}-`;
    const res = await this.session.request('GET', `/v2/${this.path}/blobs/${digest}`, {
      scopes: this.scopes,
      headers,
      followRedirects: true,
    });
    if (offset > 0 && res.statusCode === 416) {
      discard(res);
      throw new UnexpectedResponseError(`range ${offset}- of blob ${digest} is not satisfiable`, 416);
    }
    await this.ok(res, 200, 206);
    return res;
  }

  /** HEAD /v2/<name>/blobs/<digest>: its size, or undefined when the repository does not have it. */
  async statBlob(digest: string): Promise<number | undefined> {
    const res = await this.session.request('HEAD', `/v2/${this.path}/blobs/${digest}`, { scopes: this.scopes, followRedirects: true });
    discard(res);
    if (res.statusCode === 404) return undefined;
    if (res.statusCode !== 200) throw errorFromResponse(res.statusCode ?? 0, res.headers, Buffer.alloc(0));
    return Number(res.headers['content-length'] ?? 0);
  }

  /**
   * POST /v2/<name>/blobs/uploads/: starts an upload, or with `mount` asks the registry to link a blob
   * it holds in another repository (201: done; 202: it could not, an upload session instead).
   */
  async startUpload(mount?: { digest: string; from: string }): Promise<{ mounted: true } | { mounted: false; location: URL }> {
    let path = `/v2/${this.path}/blobs/uploads/`;
    const scopes = [...this.scopes];
    if (mount) {
      path += `?mount=${encodeURIComponent(mount.digest)}&from=${encodeURIComponent(mount.from)}`;
      scopes.push(`repository:${mount.from}:pull`);
    }
    const res = await this.session.request('POST', path, { scopes });
    await this.ok(res, 201, 202);
    discard(res);
    if (res.statusCode === 201 && mount) return { mounted: true };
    return { mounted: false, location: this.location(res) };
  }

  /** PATCH a stream (or one chunk with its range) to an upload; returns the next location. */
  async patchUpload(location: URL, body: Readable | Buffer, range?: { start: number; end: number }): Promise<URL> {
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
    if (range) headers['Content-Range'] = `${range.start}-${range.end}`;
    const res = await this.session.request('PATCH', location, { scopes: this.scopes, headers, body });
    await this.ok(res, 202);
    discard(res);
    return this.location(res);
  }

  /** PUT <location>?digest=: completes an upload, with the last bytes (or all of them: monolithic). */
  async finishUpload(location: URL, digest: string, body?: Buffer): Promise<void> {
    const url = new URL(location);
    url.searchParams.set('digest', digest);
    const res = await this.session.request('PUT', url, {
      scopes: this.scopes,
      headers: body ? { 'Content-Type': 'application/octet-stream' } : {},
      body: body ?? Buffer.alloc(0),
    });
    await this.ok(res, 201, 204);
    discard(res);
  }

  /** GET /v2/<name>/tags/list, all pages, in the registry's order. */
  async tags(): Promise<string[]> {
    const out: string[] = [];
    let next: string | undefined = `/v2/${this.path}/tags/list`;
    while (next) {
      const res = await this.session.request('GET', next, { scopes: this.scopes });
      await this.ok(res, 200);
      const page = parseJson<{ tags?: string[] | null }>(await readBody(res), 'tag list');
      out.push(...(page.tags ?? []));
      next = nextLink(res.headers.link);
    }
    return out;
  }

  private location(res: IncomingMessage): URL {
    const loc = res.headers.location;
    if (!loc) throw new UnexpectedResponseError(`registry ${this.session.domain} gave no upload location`, res.statusCode ?? 0);
    return this.session.url(loc);
  }
}
