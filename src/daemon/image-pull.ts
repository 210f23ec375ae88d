// POST /images/create?fromImage=: `docker pull`. Resolves the manifest (a list's entry for the wanted
// platform), fetches the config and the layers (image-pull-layers.ts), then records the image, its tag
// and its digest reference (RepoDigests). With neither tag nor digest, every tag of the repository.
import type { JsonMessage } from '../api/types.js';
import type { ImageRecord } from '../core/images.js';
import type { AuthConfig } from '../distribution/auth-config.js';
import type { Distribution } from '../distribution/distribution.js';
import { parsePlatform, type Platform } from '../distribution/manifest.js';
import type { RegistryRepository } from '../distribution/registry-repository.js';
import { invalidArgument } from '../errdefs/errors.js';
import { goArch } from '../oci/image.js';
import type { Digest } from '../oci/digest.js';
import {
  familiarName,
  familiarRepository,
  fullName,
  parseReference,
  repositoryName,
  withTagOrDigest,
  type Reference,
} from '../oci/reference.js';
import type { Daemon } from './daemon.js';
import { rfc3339Nano } from './image-filters.js';
import { pullLayers } from './image-pull-layers.js';
import { translatePullError } from './image-pull-errors.js';
import { fetchConfig, resolveManifest } from './image-pull-resolve.js';
import { IMAGES_LOCK } from './image-usage.js';

export interface ImagePullOptions {
  /** The API's fromImage: a name, possibly with :tag or @digest. */
  fromImage: string;
  /** The API's tag parameter: a tag or a digest; empty with a bare name means every tag. */
  tag?: string;
  /** "linux/amd64", "linux/arm64/v8" (default: this host's). */
  platform?: string;
  auth?: AuthConfig;
  signal?: AbortSignal;
}

/** The platform pulls select when none is asked for. */
export function defaultPlatform(): Platform {
  return { os: 'linux', architecture: goArch() };
}

export async function imagePull(
  d: Daemon,
  dist: Distribution,
  opts: ImagePullOptions,
  progress: (m: JsonMessage) => void,
): Promise<void> {
  const named = parseReference(opts.fromImage);
  const ref = withTagOrDigest(named, opts.tag);
  const platform = opts.platform ? parsePlatform(opts.platform) : defaultPlatform();
  const signal = opts.signal ?? new AbortController().signal;
  const repo = dist.repository(ref.domain, ref.path, opts.auth);

  if (!ref.tag && !ref.digest) {
    // -a: every tag the registry lists, then one status line for the repository.
    let tags: string[];
    try {
      tags = await repo.tags();
    } catch (err) {
      throw translatePullError(err, ref);
    }
    if (tags.length === 0) throw invalidArgument(`no tags found for ${familiarRepository(ref)}`);
    let updated = false;
    for (const tag of tags) {
      updated = (await pullOne(d, dist, repo, { ...ref, tag }, platform, progress, signal)) || updated;
    }
    const repoName = familiarRepository(ref);
    progress({ status: `Status: ${updated ? 'Downloaded newer image' : 'Image is up to date'} for ${repoName}` });
    return;
  }
  const updated = await pullOne(d, dist, repo, ref, platform, progress, signal);
  progress({ status: `Status: ${updated ? 'Downloaded newer image' : 'Image is up to date'} for ${familiarName(ref)}` });
}

/** Pulls one tag or digest; true when its name now points at a different image than before. */
async function pullOne(
  d: Daemon,
  dist: Distribution,
  repo: RegistryRepository,
  ref: Reference,
  platform: Platform,
  progress: (m: JsonMessage) => void,
  signal: AbortSignal,
): Promise<boolean> {
  const what = familiarName(ref);
  let image;
  try {
    image = await fetchConfig(repo, await resolveManifest(repo, ref, platform), ref);
  } catch (err) {
    throw translatePullError(err, ref);
  }
  progress({ status: `Pulling from ${ref.path}`, id: ref.tag ?? what });

  const id = image.manifest.config.digest as Digest;
  const names = [...(ref.tag ? [fullName({ domain: ref.domain, path: ref.path, tag: ref.tag })] : []), `${repositoryName(ref)}@${image.digest}`];
  const before = d.images.references().get(names[0]);

  const record = async (layers?: { layers: ImageRecord['layers']; size: number }) => {
    const now = rfc3339Nano(new Date());
    if (!d.images.get(id)) {
      if (!layers) throw new Error(`image ${id} vanished while pulling ${what}`);
      await d.content.put(image.configBytes, id);
      await d.images.put({ id, config: image.config, layers: layers.layers, size: layers.size, lastTagTime: now });
    } else if (ref.tag) {
      await d.images.put({ ...d.images.get(id)!, lastTagTime: now });
    }
    for (const n of names) await d.images.setReference(n, id);
  };

  try {
    if (d.images.get(id)) {
      // The image is here already (by another name): only the names change.
      await d.lock(IMAGES_LOCK, async () => record());
    } else {
      await pullLayers({ d, dist, repo, progress, what, signal }, image, (layers) => record(layers));
    }
  } catch (err) {
    throw translatePullError(err, ref);
  }
  // Remember where these blobs live: a push to a sibling repository mounts them from here.
  const layers = image.manifest.layers.map((l, i) => ({ digest: l.digest, mediaType: l.mediaType, size: l.size, diffId: image.config.rootfs.diff_ids[i] }));
  await dist.sources.addAll(layers, repositoryName(ref)).catch(() => {});
  progress({ status: `Digest: ${image.digest}` });
  d.events.publish('image', 'pull', what, { name: familiarRepository(ref) });
  return before !== id;
}
