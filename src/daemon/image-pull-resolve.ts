// Pull, step one: the manifest a reference names (through a manifest list / OCI index for the wanted
// platform), verified against its digest, and the image config it points at.
import type { RegistryRepository } from '../distribution/registry-repository.js';
import { formatPlatform, parseManifest, selectPlatform, type ImageManifest, type Platform } from '../distribution/manifest.js';
import { invalidArgument, notFound } from '../errdefs/errors.js';
import { sha256 } from '../oci/digest.js';
import type { ImageConfig } from '../oci/image.js';
import { familiarName, type Reference } from '../oci/reference.js';
import { readBody } from '../distribution/http-transport.js';

/** Image configs are small; anything bigger is not one. */
const MAX_CONFIG_BYTES = 8 << 20;

export interface ResolvedManifest {
  /** Digest of what the reference points at (a manifest list's own digest for a list): RepoDigests. */
  digest: string;
  manifest: ImageManifest;
}

export interface ResolvedImage extends ResolvedManifest {
  config: ImageConfig;
  configBytes: Buffer;
}

/** GET the manifest for the tag or digest of `ref`; for a list, the entry for `platform`. */
export async function resolveManifest(repo: RegistryRepository, ref: Reference, platform: Platform): Promise<ResolvedManifest> {
  const what = familiarName(ref);
  const top = await fetchVerified(repo, ref.digest ?? ref.tag ?? 'latest', ref.digest, what);
  const parsed = parseManifest(top.bytes, top.contentType, what);
  if (parsed.kind === 'manifest') return { digest: top.digest, manifest: parsed };
  const entry = selectPlatform(parsed, platform);
  if (!entry) {
    throw notFound(`no matching manifest for ${formatPlatform(platform)} in the manifest list entries`);
  }
  const child = await fetchVerified(repo, entry.digest, entry.digest, what);
  const manifest = parseManifest(child.bytes, child.contentType ?? entry.mediaType, what);
  if (manifest.kind !== 'manifest') {
    throw invalidArgument(`manifest list entry ${entry.digest} of ${what} is itself a list`);
  }
  return { digest: top.digest, manifest };
}

async function fetchVerified(repo: RegistryRepository, reference: string, expected: string | undefined, what: string) {
  const m = await repo.getManifest(reference);
  // By digest, the bytes must hash to it; by tag, to what the registry says they hash to.
  const want = expected ?? m.headerDigest;
  if (want && want.startsWith('sha256:') && want !== m.digest) {
    throw invalidArgument(`manifest verification failed for digest ${want} (image ${what}: the registry sent ${m.digest})`);
  }
  return m;
}

/** GET the config blob, check its digest and that it lists one diff ID per layer. */
export async function fetchConfig(repo: RegistryRepository, resolved: ResolvedManifest, ref: Reference): Promise<ResolvedImage> {
  const what = familiarName(ref);
  const desc = resolved.manifest.config;
  if (desc.size > MAX_CONFIG_BYTES) throw invalidArgument(`image config ${desc.digest} of ${what} is too large (${desc.size} bytes)`);
  const res = await repo.getBlob(desc.digest);
  const bytes = await readBody(res, MAX_CONFIG_BYTES);
  if (sha256(bytes) !== desc.digest) {
    throw invalidArgument(`image config verification failed for digest ${desc.digest} (image ${what})`);
  }
  let config: ImageConfig;
  try {
    config = JSON.parse(bytes.toString('utf8')) as ImageConfig;
    if (!config || typeof config !== 'object') throw new Error('not a JSON object');
  } catch (err) {
    throw invalidArgument(`invalid image config ${desc.digest} of ${what}: ${(err as Error).message}`);
  }
  const diffIds = config.rootfs?.diff_ids;
  if (!Array.isArray(diffIds) || diffIds.some((d) => typeof d !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(d))) {
    throw invalidArgument(`invalid image config ${desc.digest} of ${what}: bad rootfs.diff_ids`);
  }
  if (diffIds.length !== resolved.manifest.layers.length) {
    throw invalidArgument(
      `layers from manifest don't match image configuration (${what}: ${resolved.manifest.layers.length} layers, ${diffIds.length} diff IDs)`,
    );
  }
  return { ...resolved, config, configBytes: bytes };
}
