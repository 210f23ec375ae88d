// What an image archive holds: images (config, layers in order, tags) read
// from Docker's manifest.json, or from an OCI layout's index.json when there
// is no manifest.json. Everything is checked here, before anything is stored
// as an image: each error names the image and the layer.
import type { ImageConfig } from '../oci/image.js';
import { invalidArgument } from '../errdefs/errors.js';
import { archivePath, MANIFEST_FILE, parseManifestJson, type ArchiveManifestItem } from '../oci/archive-manifest.js';
import { chainIds, hexOf, isDigest, sha256, type Digest } from '../oci/digest.js';
import { goArch } from '../oci/image.js';
import {
  ANNOTATION_IMAGE_NAME,
  ANNOTATION_REF_NAME,
  blobPath,
  isIndexType,
  isManifestType,
  layerCompression,
  OCI_INDEX_FILE,
  parseImageManifest,
  parseIndex,
  parseJsonObject,
  type Descriptor,
} from '../oci/image-layout.js';
import { familiarName, parseReference, type Reference } from '../oci/reference.js';
import type { Daemon } from './daemon.js';
import type { ArchiveContents, ArchiveFile, LayerTarget } from './image-archive-read.js';

export interface PlannedLayer extends LayerTarget {
  file: ArchiveFile;
}

export interface PlannedImage {
  id: Digest;
  configBytes: Buffer;
  config: ImageConfig;
  layers: PlannedLayer[];
  tags: Reference[];
  /** The parent's ID, when manifest.json names one. */
  parentId?: Digest;
  /** busybox:latest, or the short ID: how messages name the image. */
  label: string;
}

/** Turns the archive's files into images. Throws InvalidArgument naming the image and layer at fault. */
export async function planImages(d: Daemon, contents: ArchiveContents): Promise<PlannedImage[]> {
  const manifest = contents.get(MANIFEST_FILE);
  let images: PlannedImage[];
  if (manifest) {
    images = [];
    for (const [i, item] of parseManifestJson(await contents.bytes(d, manifest)).entries()) {
      images.push(await planManifestItem(d, contents, item, i));
    }
  } else if (contents.get(OCI_INDEX_FILE)) {
    images = await planOciIndex(d, contents);
  } else {
    throw invalidArgument(`invalid archive: no ${MANIFEST_FILE} or ${OCI_INDEX_FILE} (not an image archive made by docker save)`);
  }
  for (const f of contents.files.values()) {
    if (f.problem) throw invalidArgument(`invalid archive: ${f.name}: ${f.problem}`);
  }
  return merge(images);
}

/**
 * Where each layer of manifest.json goes, from what has arrived so far (the
 * manifest and configs): lets layers that come later be unpacked as they stream.
 */
export function layerTargets(contents: ArchiveContents): Map<string, LayerTarget> {
  const out = new Map<string, LayerTarget>();
  const manifest = contents.get(MANIFEST_FILE);
  if (!manifest?.data) return out;
  let items: ArchiveManifestItem[];
  try {
    items = parseManifestJson(manifest.data);
  } catch {
    return out; // reported by planImages
  }
  for (const [i, item] of items.entries()) {
    try {
      const config = contents.get(archivePath(item.Config, 'config path'));
      if (!config?.data || config.problem) continue;
      const label = imageLabel(item.RepoTags, config.digest, i);
      const diffIds = readConfig(config.data, label).rootfs.diff_ids as Digest[];
      if (diffIds.length !== item.Layers.length) continue;
      const chains = chainIds(diffIds);
      item.Layers.forEach((p, n) => {
        const path = archivePath(p, 'layer path');
        if (out.has(path)) return;
        out.set(path, target(label, n, diffIds, chains, path));
      });
    } catch {
      // a malformed item: planImages reports it
    }
  }
  return out;
}

async function planManifestItem(d: Daemon, contents: ArchiveContents, item: ArchiveManifestItem, i: number): Promise<PlannedImage> {
  const configPath = archivePath(item.Config, 'config path');
  const configFile = contents.get(configPath);
  const early = imageLabel(item.RepoTags, undefined, i);
  if (!configFile) throw invalidArgument(`failed to load image ${early}: config ${configPath} is missing from the archive`);
  if (configFile.problem) throw invalidArgument(`failed to load image ${early}: config ${configPath}: ${configFile.problem}`);
  const configBytes = await contents.bytes(d, configFile);
  const id = configFile.digest;
  const label = imageLabel(item.RepoTags, id, i);
  const config = readConfig(configBytes, label);
  const diffIds = config.rootfs.diff_ids as Digest[];
  if (item.Layers.length !== diffIds.length) {
    throw invalidArgument(
      `failed to load image ${label}: invalid manifest, layers length mismatch: expected ${item.Layers.length}, got ${diffIds.length}`,
    );
  }
  const chains = chainIds(diffIds);
  const layers = item.Layers.map((p, n) => {
    const path = archivePath(p, 'layer path');
    const t = target(label, n, diffIds, chains, path);
    return { ...t, file: layerFile(contents, path, t.describe) };
  });
  const tags = (item.RepoTags ?? []).map((t) => tagReference(t, label));
  const parentId = item.Parent && isDigest(item.Parent) ? item.Parent : undefined;
  return { id, configBytes, config, layers, tags, parentId, label };
}

async function planOciIndex(d: Daemon, contents: ArchiveContents): Promise<PlannedImage[]> {
  const index = parseIndex(await contents.bytes(d, contents.get(OCI_INDEX_FILE)!));
  const images: PlannedImage[] = [];
  for (const [i, desc] of index.manifests.entries()) {
    const tag = ociName(desc.annotations);
    const early = tag ? familiarName(tag) : `${i + 1} in ${OCI_INDEX_FILE}`;
    const manifestDesc = await platformManifest(d, contents, desc, early);
    const manifest = parseImageManifest(await blob(d, contents, manifestDesc, `image ${early}: manifest`), `manifest ${manifestDesc.digest}`);
    const configBytes = await blob(d, contents, manifest.config, `image ${early}: config`);
    const id = sha256(configBytes);
    const label = tag ? familiarName(tag) : shortId(id);
    const config = readConfig(configBytes, label);
    const diffIds = config.rootfs.diff_ids as Digest[];
    if (manifest.layers.length !== diffIds.length) {
      throw invalidArgument(
        `failed to load image ${label}: invalid manifest, layers length mismatch: expected ${manifest.layers.length}, got ${diffIds.length}`,
      );
    }
    const chains = chainIds(diffIds);
    const layers = manifest.layers.map((l, n) => {
      const path = blobPath(l.digest);
      const t = target(label, n, diffIds, chains, path);
      if (layerCompression(l.mediaType) === undefined) {
        throw invalidArgument(`${t.describe}: unknown media type ${JSON.stringify(l.mediaType)}`);
      }
      const file = layerFile(contents, path, t.describe);
      if (file.size !== l.size) throw invalidArgument(`${t.describe}: size ${file.size} does not match the manifest's ${l.size}`);
      return { ...t, file };
    });
    images.push({ id, configBytes, config, layers, tags: tag ? [tag] : [], label });
  }
  return images;
}

/** An index entry may itself be an index (several platforms): pick ours. */
async function platformManifest(d: Daemon, contents: ArchiveContents, desc: Descriptor, label: string, depth = 0): Promise<Descriptor> {
  if (isManifestType(desc.mediaType)) return desc;
  if (!isIndexType(desc.mediaType) || depth > 4) {
    throw invalidArgument(`failed to load image ${label}: unsupported media type ${JSON.stringify(desc.mediaType)}`);
  }
  const nested = parseIndex(await blob(d, contents, desc, `image ${label}: index`), `index ${desc.digest}`);
  const arch = goArch();
  const match =
    nested.manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === arch) ??
    (nested.manifests.length === 1 ? nested.manifests[0] : undefined);
  if (!match) throw invalidArgument(`failed to load image ${label}: no manifest for platform linux/${arch}`);
  return platformManifest(d, contents, match, label, depth + 1);
}

async function blob(d: Daemon, contents: ArchiveContents, desc: Descriptor, what: string): Promise<Buffer> {
  const f = contents.get(blobPath(desc.digest));
  if (!f) throw invalidArgument(`failed to load ${what}: blob ${desc.digest} is missing from the archive`);
  if (f.problem) throw invalidArgument(`failed to load ${what}: blob ${desc.digest}: ${f.problem}`);
  return contents.bytes(d, f);
}

/** The reference an index entry is saved under; a bare tag (no repository) is none. */
function ociName(annotations: Record<string, string> | undefined): Reference | undefined {
  const name = annotations?.[ANNOTATION_IMAGE_NAME] ?? annotations?.[ANNOTATION_REF_NAME];
  if (!name || !/[:/]/.test(name)) return undefined;
  try {
    const ref = parseReference(name);
    return ref.tag && !ref.digest ? ref : undefined;
  } catch {
    return undefined;
  }
}

function target(label: string, n: number, diffIds: Digest[], chains: Digest[], path: string): LayerTarget {
  return {
    chainId: chains[n],
    parentChainId: n > 0 ? chains[n - 1] : undefined,
    diffId: diffIds[n],
    describe: `failed to load image ${label}: layer ${n + 1}/${diffIds.length} ${diffIds[n]} (${path})`,
  };
}

function layerFile(contents: ArchiveContents, path: string, describe: string): ArchiveFile {
  const f = contents.get(path);
  if (!f) throw invalidArgument(`${describe}: missing from the archive`);
  if (f.problem) throw invalidArgument(`${describe}: ${f.problem}`);
  return f;
}

/** Parses and checks an image config: a linux image with a list of diff IDs. */
function readConfig(data: Buffer, label: string): ImageConfig {
  const v = parseJsonObject(data, `image config of ${label}`) as unknown as ImageConfig;
  const os = v.os || 'linux';
  if (os !== 'linux') throw invalidArgument(`failed to load image ${label}: cannot load ${os} image on linux`);
  const diffIds = v.rootfs?.diff_ids;
  if (!Array.isArray(diffIds) || !diffIds.every((x) => typeof x === 'string' && isDigest(x))) {
    throw invalidArgument(`failed to load image ${label}: invalid image config: rootfs.diff_ids must be a list of sha256 digests`);
  }
  return v;
}

function tagReference(repoTag: string, label: string): Reference {
  let ref: Reference;
  try {
    ref = parseReference(repoTag);
  } catch (err) {
    throw invalidArgument(`failed to load image ${label}: ${(err as Error).message}: ${JSON.stringify(repoTag)}`);
  }
  if (!ref.tag || ref.digest) throw invalidArgument(`failed to load image ${label}: invalid tag ${JSON.stringify(repoTag)}`);
  return ref;
}

function imageLabel(repoTags: string[] | null, id: Digest | undefined, i: number): string {
  if (repoTags?.length) return repoTags[0];
  return id ? shortId(id) : `${i + 1} in ${MANIFEST_FILE}`;
}

const shortId = (id: string) => hexOf(id).slice(0, 12);

/** One entry per image ID, tags in order (an archive may list an image twice). */
function merge(images: PlannedImage[]): PlannedImage[] {
  const byId = new Map<Digest, PlannedImage>();
  for (const img of images) {
    const prev = byId.get(img.id);
    if (!prev) byId.set(img.id, img);
    else prev.tags.push(...img.tags);
  }
  return [...byId.values()];
}
