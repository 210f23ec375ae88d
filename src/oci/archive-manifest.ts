// Docker's own files in an image archive: manifest.json (one item per image)
// and the legacy `repositories` map, plus how archive paths are cleaned.
import { invalidArgument } from '../errdefs/errors.js';
import type { Descriptor } from './image-layout.js';

export const MANIFEST_FILE = 'manifest.json';
export const REPOSITORIES_FILE = 'repositories';

/** One image in manifest.json; paths are relative to the archive root. */
export interface ArchiveManifestItem {
  Config: string;
  /** Familiar references (busybox:latest); null for an image saved by ID. */
  RepoTags: string[] | null;
  Layers: string[];
  /** The parent's image ID, when the parent is in the same archive. */
  Parent?: string;
  /** Layers stored elsewhere (foreign layers), by diff ID. */
  LayerSources?: Record<string, Descriptor>;
}

/** repository (familiar) → tag → hex of the image's top layer. */
export type Repositories = Record<string, Record<string, string>>;

/** manifest.json as `docker save` writes it (json.Encoder: a trailing newline). */
export function buildManifestJson(items: ArchiveManifestItem[]): Buffer {
  const out = items.map((m) => {
    const o: ArchiveManifestItem = { Config: m.Config, RepoTags: m.RepoTags && m.RepoTags.length ? m.RepoTags : null, Layers: m.Layers };
    if (m.Parent) o.Parent = m.Parent;
    if (m.LayerSources && Object.keys(m.LayerSources).length) o.LayerSources = m.LayerSources;
    return o;
  });
  return Buffer.from(`${JSON.stringify(out)}\n`);
}

export function buildRepositories(repos: Repositories): Buffer {
  return Buffer.from(`${JSON.stringify(repos)}\n`);
}

export function parseManifestJson(data: Buffer): ArchiveManifestItem[] {
  let v: unknown;
  try {
    v = JSON.parse(data.toString('utf8'));
  } catch (err) {
    throw invalidArgument(`invalid ${MANIFEST_FILE}: ${(err as Error).message}`);
  }
  if (v === null) throw invalidArgument('invalid manifest, manifest cannot be null (but can be [])');
  if (!Array.isArray(v)) throw invalidArgument(`invalid ${MANIFEST_FILE}: not a JSON array`);
  return v.map((item, i) => {
    const what = `${MANIFEST_FILE}: item ${i}`;
    if (typeof item !== 'object' || item === null) throw invalidArgument(`invalid ${what}: not an object`);
    const o = item as Record<string, unknown>;
    if (typeof o.Config !== 'string' || o.Config === '') throw invalidArgument(`invalid ${what}: missing Config`);
    if (o.Layers !== undefined && o.Layers !== null && !isStringArray(o.Layers)) {
      throw invalidArgument(`invalid ${what}: Layers must be a list of paths`);
    }
    if (o.RepoTags !== undefined && o.RepoTags !== null && !isStringArray(o.RepoTags)) {
      throw invalidArgument(`invalid ${what}: RepoTags must be a list of strings`);
    }
    const out: ArchiveManifestItem = {
      Config: o.Config,
      RepoTags: (o.RepoTags as string[] | null | undefined) ?? null,
      Layers: (o.Layers as string[] | null | undefined) ?? [],
    };
    if (typeof o.Parent === 'string' && o.Parent) out.Parent = o.Parent;
    return out;
  });
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/**
 * Cleans a path inside an archive (an entry name, or a path manifest.json
 * names) to `a/b/c`. A leading "/" or any ".." component is refused: nothing
 * in an image archive may point outside it.
 */
export function archivePath(name: string, what = 'archive entry'): string {
  if (name.startsWith('/')) throw invalidArgument(`invalid ${what} "${name}": absolute path`);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw invalidArgument(`invalid ${what} "${name}": path escapes the archive root`);
  return parts.join('/');
}

/** Where a symlink entry at `from` points, as an archive path (or an error if it leaves the archive). */
export function archiveLinkTarget(from: string, target: string): string {
  const base = from.split('/').slice(0, -1);
  if (target.startsWith('/')) throw invalidArgument(`invalid archive entry "${from}": symlink to absolute path "${target}"`);
  const out = [...base];
  for (const p of target.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') {
      if (out.length === 0) throw invalidArgument(`invalid archive entry "${from}": symlink "${target}" escapes the archive root`);
      out.pop();
    } else {
      out.push(p);
    }
  }
  return out.join('/');
}
