// The OCI image layout as `docker save` (25+) writes it and `docker load`
// reads it: oci-layout, index.json, and image manifests in blobs/sha256/.
import { invalidArgument } from '../errdefs/errors.js';
import { isDigest, sha256, type Digest } from './digest.js';
import { MEDIA_TYPES } from './image.js';

export const OCI_LAYOUT_FILE = 'oci-layout';
export const OCI_INDEX_FILE = 'index.json';
export const OCI_LAYOUT_CONTENT = '{"imageLayoutVersion":"1.0.0"}';
/** containerd's annotation with the full reference (docker.io/library/busybox:latest). */
export const ANNOTATION_IMAGE_NAME = 'io.containerd.image.name';
/** OCI's annotation: the tag (Docker writes the tag; other tools may write a full reference). */
export const ANNOTATION_REF_NAME = 'org.opencontainers.image.ref.name';

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
  urls?: string[];
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
}

export type Compression = 'none' | 'gzip' | 'zstd';

const LAYER_COMPRESSION: Record<string, Compression> = {
  'application/vnd.oci.image.layer.v1.tar': 'none',
  'application/vnd.oci.image.layer.v1.tar+gzip': 'gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd': 'zstd',
  'application/vnd.oci.image.layer.nondistributable.v1.tar': 'none',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip': 'gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd': 'zstd',
  'application/vnd.docker.image.rootfs.diff.tar': 'none',
  'application/vnd.docker.image.rootfs.diff.tar.gzip': 'gzip',
  'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip': 'gzip',
  'application/vnd.docker.image.rootfs.diff.tar.zstd': 'zstd',
};

const MANIFEST_TYPES = new Set<string>([MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest]);
const INDEX_TYPES = new Set<string>([MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerManifestList]);
const CONFIG_TYPES = new Set<string>([MEDIA_TYPES.ociConfig, MEDIA_TYPES.dockerConfig]);

/** The compression a layer media type declares; undefined for a type that is not a layer we know. */
export function layerCompression(mediaType: string): Compression | undefined {
  return LAYER_COMPRESSION[mediaType];
}

/** The OCI layer media type for a compression (what our manifests declare). */
export function ociLayerMediaType(compression: Compression): string {
  if (compression === 'gzip') return MEDIA_TYPES.ociLayerGzip;
  if (compression === 'zstd') return MEDIA_TYPES.ociLayerZstd;
  return MEDIA_TYPES.ociLayerTar;
}

export const isManifestType = (mediaType: string | undefined) => mediaType !== undefined && MANIFEST_TYPES.has(mediaType);
export const isIndexType = (mediaType: string | undefined) => mediaType !== undefined && INDEX_TYPES.has(mediaType);

/** `blobs/sha256/<hex>`: where a layout keeps a blob. */
export function blobPath(digest: Digest): string {
  return `blobs/sha256/${digest.slice('sha256:'.length)}`;
}

/** The digest a layout path names (`blobs/sha256/<hex>`), or undefined for any other path. */
export function digestOfBlobPath(path: string): Digest | undefined {
  const m = /^blobs\/sha256\/([a-f0-9]{64})$/.exec(path);
  return m ? (`sha256:${m[1]}` as Digest) : undefined;
}

/** Serialises a manifest as Docker does (field order fixed), with its digest. */
export function buildImageManifest(config: Descriptor, layers: Descriptor[]): { bytes: Buffer; digest: Digest } {
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.ociManifest,
    config: descriptorJson(config),
    layers: layers.map(descriptorJson),
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return { bytes, digest: sha256(bytes) };
}

export function buildIndex(manifests: Descriptor[]): Buffer {
  const index: ImageIndex = { schemaVersion: 2, mediaType: MEDIA_TYPES.ociIndex, manifests: manifests.map(descriptorJson) };
  return Buffer.from(JSON.stringify(index));
}

/** The index.json entry for one saved reference (name: full reference; tag: its tag). */
export function manifestDescriptor(
  manifest: { bytes: Buffer; digest: Digest },
  platform: Platform | undefined,
  ref?: { name: string; tag: string },
): Descriptor {
  const d: Descriptor = { mediaType: MEDIA_TYPES.ociManifest, digest: manifest.digest, size: manifest.bytes.length };
  if (ref) d.annotations = { [ANNOTATION_IMAGE_NAME]: ref.name, [ANNOTATION_REF_NAME]: ref.tag };
  if (platform) d.platform = platform;
  return d;
}

/** Keeps the JSON field order stable whatever order the object was built in. */
function descriptorJson(d: Descriptor): Descriptor {
  const out: Descriptor = { mediaType: d.mediaType, digest: d.digest, size: d.size };
  if (d.urls?.length) out.urls = d.urls;
  if (d.annotations && Object.keys(d.annotations).length) out.annotations = d.annotations;
  if (d.platform) {
    out.platform = { architecture: d.platform.architecture, os: d.platform.os };
    if (d.platform.variant) out.platform.variant = d.platform.variant;
  }
  return out;
}

// ------------------------------------------------------------------------------------- parsing

/** Parses index.json (or a nested index blob). */
export function parseIndex(data: Buffer, what = OCI_INDEX_FILE): ImageIndex {
  const v = parseJsonObject(data, what);
  if (v.mediaType !== undefined && !isIndexType(v.mediaType as string)) {
    throw invalidArgument(`invalid ${what}: unsupported media type ${JSON.stringify(v.mediaType)}`);
  }
  if (!Array.isArray(v.manifests)) throw invalidArgument(`invalid ${what}: "manifests" must be an array`);
  return {
    schemaVersion: 2,
    mediaType: v.mediaType as string | undefined,
    manifests: v.manifests.map((m, i) => parseDescriptor(m, `${what}: manifests[${i}]`)),
  };
}

/** Parses an image manifest; refuses other media types (an index is parsed with parseIndex). */
export function parseImageManifest(data: Buffer, what: string): ImageManifest {
  const v = parseJsonObject(data, what);
  const mediaType = (v.mediaType as string | undefined) ?? MEDIA_TYPES.ociManifest;
  if (!isManifestType(mediaType)) throw invalidArgument(`invalid ${what}: unsupported manifest media type ${JSON.stringify(mediaType)}`);
  if (v.schemaVersion !== 2) throw invalidArgument(`invalid ${what}: unsupported schemaVersion ${JSON.stringify(v.schemaVersion)}`);
  const config = parseDescriptor(v.config, `${what}: config`);
  if (!CONFIG_TYPES.has(config.mediaType)) {
    throw invalidArgument(`invalid ${what}: unsupported config media type ${JSON.stringify(config.mediaType)}`);
  }
  if (!Array.isArray(v.layers)) throw invalidArgument(`invalid ${what}: "layers" must be an array`);
  return {
    schemaVersion: 2,
    mediaType,
    config,
    layers: v.layers.map((l, i) => parseDescriptor(l, `${what}: layers[${i}]`)),
  };
}

function parseDescriptor(v: unknown, what: string): Descriptor {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidArgument(`invalid ${what}: not a descriptor`);
  const o = v as Record<string, unknown>;
  if (typeof o.mediaType !== 'string') throw invalidArgument(`invalid ${what}: missing mediaType`);
  if (typeof o.digest !== 'string' || !isDigest(o.digest)) {
    throw invalidArgument(`invalid ${what}: unsupported digest ${JSON.stringify(o.digest)}`);
  }
  if (typeof o.size !== 'number' || !Number.isSafeInteger(o.size) || o.size < 0) {
    throw invalidArgument(`invalid ${what}: invalid size ${JSON.stringify(o.size)}`);
  }
  const d: Descriptor = { mediaType: o.mediaType, digest: o.digest, size: o.size };
  if (o.annotations !== undefined) d.annotations = stringMap(o.annotations, `${what}: annotations`);
  if (typeof o.platform === 'object' && o.platform !== null) {
    const p = o.platform as Record<string, unknown>;
    d.platform = { architecture: String(p.architecture ?? ''), os: String(p.os ?? '') };
    if (typeof p.variant === 'string' && p.variant) d.platform.variant = p.variant;
  }
  return d;
}

export function parseJsonObject(data: Buffer, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(data.toString('utf8'));
  } catch (err) {
    throw invalidArgument(`invalid ${what}: ${(err as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidArgument(`invalid ${what}: not a JSON object`);
  return v as Record<string, unknown>;
}

function stringMap(v: unknown, what: string): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidArgument(`invalid ${what}: not an object`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') throw invalidArgument(`invalid ${what}: ${k} is not a string`);
    out[k] = x;
  }
  return out;
}
