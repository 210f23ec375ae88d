// GET /images/{name}/get and /images/get?names=: `docker save` in Docker 25's
// format, an OCI image layout plus Docker's manifest.json and repositories.
// Layers go out as the blobs the content store holds (no recompression), and
// everything is checked before the first byte so a missing image is a 404.
import type { Writable } from 'node:stream';
import type { ImageRecord } from '../core/images.js';
import { internal, isNotFound, notFound } from '../errdefs/errors.js';
import {
  buildManifestJson,
  buildRepositories,
  MANIFEST_FILE,
  REPOSITORIES_FILE,
  type ArchiveManifestItem,
  type Repositories,
} from '../oci/archive-manifest.js';
import { hexOf, isDigest, type Digest } from '../oci/digest.js';
import { MEDIA_TYPES } from '../oci/image.js';
import {
  blobPath,
  buildImageManifest,
  buildIndex,
  layerCompression,
  manifestDescriptor,
  ociLayerMediaType,
  OCI_INDEX_FILE,
  OCI_LAYOUT_CONTENT,
  OCI_LAYOUT_FILE,
  type Descriptor,
} from '../oci/image-layout.js';
import {
  familiarName,
  familiarRepository,
  fullName,
  parseReference,
  repositoryName,
  type Reference,
} from '../oci/reference.js';
import type { Daemon } from './daemon.js';
import { TarWriter } from './image-archive-tar.js';
import { findImage } from './image-resolve.js';

interface SaveItem {
  image: ImageRecord;
  /** Tagged references, in the order asked for (none when saved by ID). */
  refs: Reference[];
}

interface Blob {
  digest: Digest;
  size: number;
  mtime: Date;
  data?: Buffer;
}

const EPOCH = new Date(0);
const HEX64 = /^[a-f0-9]{64}$/;

export async function imageSave(d: Daemon, names: string[], start: () => Writable): Promise<void> {
  const items = resolveNames(d, names);
  const layout = await buildLayout(d, items);
  const tar = new TarWriter(start());
  await tar.dir('blobs', EPOCH);
  await tar.dir('blobs/sha256', EPOCH);
  // Metadata first: a loader reading the stream in order knows every layer before it arrives.
  await tar.file(OCI_LAYOUT_FILE, Buffer.from(OCI_LAYOUT_CONTENT), EPOCH);
  await tar.file(OCI_INDEX_FILE, layout.index, EPOCH);
  await tar.file(MANIFEST_FILE, layout.manifestJson, EPOCH);
  if (layout.repositories) await tar.file(REPOSITORIES_FILE, layout.repositories, EPOCH);
  for (const b of layout.blobs) {
    if (b.data) await tar.file(blobPath(b.digest), b.data, b.mtime);
    else await tar.stream(blobPath(b.digest), b.size, d.content.createReadStream(b.digest), b.mtime);
  }
  await tar.end();
  for (const item of items) d.events.publish('image', 'save', item.image.id, { name: item.image.id });
}

/**
 * Docker's parseNames: an ID (or unique prefix) saves the image untagged; a
 * tagged name saves that tag; a bare repository name saves all its tags.
 */
export function resolveNames(d: Daemon, names: string[]): SaveItem[] {
  const byId = new Map<Digest, SaveItem>();
  const add = (image: ImageRecord, ref?: Reference) => {
    let item = byId.get(image.id);
    if (!item) byId.set(image.id, (item = { image, refs: [] }));
    if (ref?.tag && !item.refs.some((r) => fullName(r) === fullName(ref))) item.refs.push(ref);
  };
  const byIdOrPrefix = (name: string) => {
    const image = findImage(d, name);
    if (!image) throw notFound(`No such image: ${name}`);
    add(image);
  };
  for (const name of names) {
    if (HEX64.test(name) || isDigest(name) || name.startsWith('sha256:')) {
      byIdOrPrefix(name);
      continue;
    }
    const ref = parseReference(name);
    if (ref.digest) {
      // Digest references name content, not a tag: the image goes out untagged.
      const id = d.images.references().get(fullName(ref));
      const image = id && d.images.get(id);
      if (!image) throw notFound(`No such image: ${name}`);
      add(image);
    } else if (ref.tag) {
      const id = d.images.references().get(fullName(ref));
      const image = id && d.images.get(id);
      if (!image) throw notFound(`No such image: ${name}`);
      add(image, ref);
    } else {
      const repo = repositoryName(ref);
      const tagged = [...d.images.references()]
        .map(([full, id]) => ({ ref: parseReference(full), id }))
        .filter((r) => r.ref.tag && !r.ref.digest && repositoryName(r.ref) === repo)
        .sort((a, b) => (a.ref.tag! < b.ref.tag! ? -1 : a.ref.tag! > b.ref.tag! ? 1 : 0));
      if (tagged.length === 0) byIdOrPrefix(name);
      for (const t of tagged) {
        const image = d.images.get(t.id);
        if (image) add(image, t.ref);
      }
    }
  }
  return [...byId.values()];
}

interface Layout {
  index: Buffer;
  manifestJson: Buffer;
  repositories?: Buffer;
  /** Manifests, then configs, then layers; each digest once. */
  blobs: Blob[];
}

async function buildLayout(d: Daemon, items: SaveItem[]): Promise<Layout> {
  const saved = new Set(items.map((i) => i.image.id));
  const manifests: Blob[] = [];
  const configs: Blob[] = [];
  const layers: Blob[] = [];
  const seen = new Set<string>();
  const index: Descriptor[] = [];
  const entries: ArchiveManifestItem[] = [];
  const repos: Repositories = {};

  for (const { image, refs } of items) {
    const created = parseTime(image.config.created);
    const config = await readBlob(d, image.id, 'config');
    const layerDescs: Descriptor[] = [];
    for (const l of image.layers) {
      const size = (await blobInfo(d, l.blob, `layer ${l.diffId}`)).size;
      layerDescs.push({ mediaType: ociLayerMediaType(layerCompression(l.mediaType) ?? 'none'), digest: l.blob, size });
      if (!seen.has(l.blob)) layers.push({ digest: l.blob, size, mtime: created });
      seen.add(l.blob);
    }
    const manifest = buildImageManifest({ mediaType: MEDIA_TYPES.ociConfig, digest: image.id, size: config.length }, layerDescs);
    for (const b of [
      { digest: manifest.digest, size: manifest.bytes.length, data: manifest.bytes, mtime: EPOCH },
      { digest: image.id, size: config.length, data: config, mtime: created },
    ]) {
      if (seen.has(b.digest)) continue;
      seen.add(b.digest);
      (b.digest === image.id ? configs : manifests).push(b);
    }

    const platform = { architecture: image.config.architecture, os: image.config.os, variant: image.config.variant };
    if (refs.length === 0) index.push(manifestDescriptor(manifest, platform));
    for (const ref of refs) {
      index.push(manifestDescriptor(manifest, platform, { name: fullName(ref), tag: ref.tag! }));
      const top = image.layers.at(-1);
      if (top) (repos[familiarRepository(ref)] ??= {})[ref.tag!] = hexOf(top.blob);
    }
    const entry: ArchiveManifestItem = {
      Config: blobPath(image.id),
      RepoTags: refs.map((r) => familiarName(r)),
      Layers: image.layers.map((l) => blobPath(l.blob)),
    };
    if (image.parent && saved.has(image.parent)) entry.Parent = image.parent;
    entries.push(entry);
  }
  return {
    index: buildIndex(index),
    manifestJson: buildManifestJson(entries),
    repositories: Object.keys(repos).length ? buildRepositories(repos) : undefined,
    blobs: [...manifests, ...configs, ...layers],
  };
}

async function readBlob(d: Daemon, digest: Digest, what: string): Promise<Buffer> {
  try {
    return await d.content.read(digest);
  } catch (err) {
    if (isNotFound(err)) throw internal(`image ${digest}: ${what} blob ${digest} is missing from the content store`);
    throw err;
  }
}

async function blobInfo(d: Daemon, digest: Digest, what: string) {
  try {
    return await d.content.info(digest);
  } catch (err) {
    if (isNotFound(err)) throw internal(`${what}: blob ${digest} is missing from the content store`);
    throw err;
  }
}

function parseTime(s: string | undefined): Date {
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? EPOCH : new Date(t);
}
