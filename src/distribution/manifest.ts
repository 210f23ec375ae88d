// Image manifests and indexes (Docker schema 2, OCI): parsing with clear errors, platform selection
// from manifest lists, and the schema 2 manifest berth pushes.
import { invalidArgument } from '../errdefs/errors.js';
import { MEDIA_TYPES } from '../oci/image.js';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  platform?: Platform;
}

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
  'os.version'?: string;
  'os.features'?: string[];
}

export interface ImageManifest {
  kind: 'manifest';
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface ManifestIndex {
  kind: 'index';
  mediaType: string;
  manifests: Descriptor[];
}

/** What pull asks for, best first. */
export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.dockerManifest,
  MEDIA_TYPES.dockerManifestList,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.ociIndex,
];

export const DOCKER_LAYER_TAR = 'application/vnd.docker.image.rootfs.diff.tar';
export const DOCKER_FOREIGN_LAYER = 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip';

const LAYER_TYPES = new Set<string>([
  MEDIA_TYPES.dockerLayerGzip,
  DOCKER_LAYER_TAR,
  MEDIA_TYPES.ociLayerGzip,
  MEDIA_TYPES.ociLayerTar,
  MEDIA_TYPES.ociLayerZstd,
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
]);
const CONFIG_TYPES = new Set<string>([MEDIA_TYPES.dockerConfig, MEDIA_TYPES.ociConfig]);

/**
 * Parses a manifest body. `contentType` is the response's Content-Type (parameters ignored); the body's
 * own mediaType wins when present. Throws InvalidArgument naming `what` (the image).
 */
export function parseManifest(body: Buffer, contentType: string | undefined, what: string): ImageManifest | ManifestIndex {
  let json: Record<string, unknown>;
  try {
    const v = JSON.parse(body.toString('utf8')) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
    json = v as Record<string, unknown>;
  } catch (err) {
    throw invalidArgument(`error unmarshalling manifest for ${what}: ${(err as Error).message}`);
  }
  const declared = typeof json.mediaType === 'string' ? json.mediaType : '';
  const header = (contentType ?? '').split(';')[0].trim();
  let mediaType = declared || header;
  if (json.schemaVersion === 1) {
    throw invalidArgument(`unsupported manifest schema 1 for ${what}: pushed with an old Docker, re-push it with a current one`);
  }
  // An OCI manifest may omit mediaType; its shape tells.
  if (!mediaType || mediaType === 'application/json' || mediaType === 'application/octet-stream') {
    mediaType = Array.isArray(json.manifests) ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.ociManifest;
  }
  if (mediaType === MEDIA_TYPES.dockerManifestList || mediaType === MEDIA_TYPES.ociIndex) {
    if (!Array.isArray(json.manifests)) throw invalidArgument(`invalid manifest list for ${what}: no manifests`);
    return { kind: 'index', mediaType, manifests: json.manifests.map((m, i) => descriptor(m, `manifests[${i}]`, what)) };
  }
  if (mediaType === MEDIA_TYPES.dockerManifest || mediaType === MEDIA_TYPES.ociManifest) {
    const config = descriptor(json.config, 'config', what);
    if (!Array.isArray(json.layers)) throw invalidArgument(`invalid manifest for ${what}: no layers`);
    const layers = json.layers.map((l, i) => descriptor(l, `layers[${i}]`, what));
    if (!CONFIG_TYPES.has(config.mediaType)) {
      throw invalidArgument(`unsupported image config media type ${config.mediaType} in the manifest of ${what}`);
    }
    for (const l of layers) {
      if (!LAYER_TYPES.has(l.mediaType)) {
        throw invalidArgument(`unsupported media type ${l.mediaType} of layer ${l.digest} in the manifest of ${what}`);
      }
    }
    return { kind: 'manifest', mediaType, config, layers };
  }
  throw invalidArgument(`unsupported manifest media type ${mediaType} for ${what}`);
}

function descriptor(v: unknown, field: string, what: string): Descriptor {
  const d = (v ?? {}) as Partial<Descriptor>;
  if (typeof d.digest !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(d.digest)) {
    throw invalidArgument(`invalid manifest for ${what}: ${field} has an invalid digest ${JSON.stringify(d.digest ?? '')}`);
  }
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) {
    throw invalidArgument(`invalid manifest for ${what}: ${field} has an invalid size`);
  }
  if (typeof d.mediaType !== 'string' || d.mediaType === '') {
    throw invalidArgument(`invalid manifest for ${what}: ${field} has no media type`);
  }
  return d as Descriptor;
}

const KNOWN_OS = /^(linux|windows|darwin|freebsd|netbsd|openbsd|solaris|illumos|aix|android|ios|js|plan9|dragonfly)$/;
const KNOWN_ARCH = /^(386|amd64|arm|arm64|ppc64|ppc64le|s390x|riscv64|mips|mipsle|mips64|mips64le|loong64|wasm|x86_64|x86-64|aarch64|armhf|armel|i386)$/;

/** containerd's platforms.Parse: "linux/amd64", "linux/arm/v7", "linux", "arm64"; Docker's error otherwise. */
export function parsePlatform(s: string): Platform {
  const bad = () => invalidArgument(`"${s}": unknown operating system or architecture: invalid argument`);
  const parts = s.toLowerCase().split('/');
  if (parts.length > 3 || parts.some((p) => p === '')) throw bad();
  if (parts.length === 1) {
    if (KNOWN_OS.test(parts[0])) return { os: parts[0], architecture: hostArchitecture() };
    if (KNOWN_ARCH.test(parts[0])) return { os: 'linux', architecture: normalizeArch(parts[0]) };
    throw bad();
  }
  if (!KNOWN_OS.test(parts[0])) throw bad();
  const p: Platform = { os: parts[0], architecture: normalizeArch(parts[1]) };
  if (parts[2]) p.variant = parts[2];
  return p;
}

function normalizeArch(a: string): string {
  const lower = a.toLowerCase();
  return ({ x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', armhf: 'arm', armel: 'arm', i386: '386' } as Record<string, string>)[lower] ?? lower;
}

function hostArchitecture(): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[process.arch] ?? process.arch;
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/** The manifest of an index for `want` (containerd's platform matcher, simplified: os, arch, variant). */
export function selectPlatform(index: ManifestIndex, want: Platform): Descriptor | undefined {
  const candidates = index.manifests.filter(
    (m) => m.platform && m.platform.os === want.os && normalizeArch(m.platform.architecture) === want.architecture,
  );
  if (want.variant) return candidates.find((m) => m.platform?.variant === want.variant) ?? undefined;
  // No variant asked: prefer the default variant (arm64 → v8, arm → v7), then any.
  const preferred = want.architecture === 'arm64' ? 'v8' : want.architecture === 'arm' ? 'v7' : undefined;
  return candidates.find((m) => !m.platform?.variant || m.platform.variant === preferred) ?? candidates[0];
}

/** Docker's schema 2 manifest, indented as dockerd writes it (so equal inputs give equal digests). */
export function buildSchema2Manifest(config: Descriptor, layers: Descriptor[], oci = false): { mediaType: string; bytes: Buffer } {
  const mediaType = oci ? MEDIA_TYPES.ociManifest : MEDIA_TYPES.dockerManifest;
  const strip = (d: Descriptor) => ({ mediaType: d.mediaType, size: d.size, digest: d.digest });
  const body = { schemaVersion: 2, mediaType, config: strip(config), layers: layers.map(strip) };
  return { mediaType, bytes: Buffer.from(JSON.stringify(body, null, 3)) };
}
