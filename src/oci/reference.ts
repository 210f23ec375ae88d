// Docker image references: `busybox` is docker.io/library/busybox:latest.
import { invalidArgument } from '../errdefs/errors.js';

export const DEFAULT_DOMAIN = 'docker.io';
export const OFFICIAL_REPO_PREFIX = 'library/';
export const DEFAULT_TAG = 'latest';

export interface Reference {
  domain: string;
  path: string; // e.g. library/busybox
  tag?: string;
  digest?: string;
}

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const PATH_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const DIGEST_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Parses and normalises like Docker's ParseNormalizedNamed; throws InvalidArgument. */
export function parseReference(input: string): Reference {
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) throw invalidArgument(`invalid reference format`);
  }
  let tag: string | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
    if (!TAG_RE.test(tag)) throw invalidArgument(`invalid reference format`);
  }
  let domain = DEFAULT_DOMAIN;
  let path = rest;
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase())) {
    domain = first;
    path = rest.slice(slash + 1);
  }
  if (domain === 'index.docker.io') domain = DEFAULT_DOMAIN;
  if (path !== path.toLowerCase()) {
    throw invalidArgument(`invalid reference format: repository name (${path}) must be lowercase`);
  }
  if (!PATH_RE.test(path)) throw invalidArgument(`invalid reference format`);
  if (domain === DEFAULT_DOMAIN && !path.includes('/')) path = OFFICIAL_REPO_PREFIX + path;
  if (/^[a-f0-9]{64}$/.test(path.replace(OFFICIAL_REPO_PREFIX, '')) && domain === DEFAULT_DOMAIN) {
    throw invalidArgument(
      `invalid repository name (${path.replace(OFFICIAL_REPO_PREFIX, '')}), cannot specify 64-byte hexadecimal strings`,
    );
  }
  return { domain, path, tag, digest };
}

/** Adds :latest when neither tag nor digest is given (Docker's TagNameOnly). */
export function withDefaultTag(ref: Reference): Reference {
  return ref.tag || ref.digest ? ref : { ...ref, tag: DEFAULT_TAG };
}

export function repositoryName(ref: Reference): string {
  return `${ref.domain}/${ref.path}`;
}

export function fullName(ref: Reference): string {
  let s = repositoryName(ref);
  if (ref.tag) s += `:${ref.tag}`;
  if (ref.digest) s += `@${ref.digest}`;
  return s;
}

/** The short form users type and Docker prints: busybox:latest, user/app:v1. */
export function familiarName(ref: Reference): string {
  let repo = ref.path;
  if (ref.domain === DEFAULT_DOMAIN) {
    if (repo.startsWith(OFFICIAL_REPO_PREFIX) && !repo.slice(OFFICIAL_REPO_PREFIX.length).includes('/')) {
      repo = repo.slice(OFFICIAL_REPO_PREFIX.length);
    }
  } else {
    repo = `${ref.domain}/${repo}`;
  }
  if (ref.tag) repo += `:${ref.tag}`;
  if (ref.digest) repo += `@${ref.digest}`;
  return repo;
}

export function familiarRepository(ref: Reference): string {
  return familiarName({ domain: ref.domain, path: ref.path });
}
