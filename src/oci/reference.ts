// Docker image references: `busybox` is docker.io/library/busybox:latest.
// The grammar and the error texts are those of distribution/reference (ParseNormalizedNamed) and
// go-digest, which the docker CLI and dockerd both use.
import { invalidArgument } from '../errdefs/errors.js';

export const DEFAULT_DOMAIN = 'docker.io';
export const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
export const OFFICIAL_REPO_PREFIX = 'library/';
export const DEFAULT_TAG = 'latest';
/** distribution/reference's NameTotalLengthMax. */
export const NAME_TOTAL_LENGTH_MAX = 255;

export interface Reference {
  domain: string;
  path: string; // e.g. library/busybox
  tag?: string;
  digest?: string;
}

// reference.go's regexps, spelled the same way.
const ALPHA_NUMERIC = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|[-]+)';
const PATH_COMPONENT = `${ALPHA_NUMERIC}(?:${SEPARATOR}${ALPHA_NUMERIC})*`;
const DOMAIN_NAME_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_NAME_COMPONENT}(?:\\.${DOMAIN_NAME_COMPONENT})*`;
const IPV6_ADDRESS = '\\[(?:[a-fA-F0-9:]+)\\]';
const DOMAIN_AND_PORT = `(?:${DOMAIN_NAME}|${IPV6_ADDRESS})(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const REMOTE_NAME = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const NAME = `(?:${DOMAIN_AND_PORT}/)?${REMOTE_NAME}`;

const REFERENCE_RE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const ANCHORED_NAME_RE = new RegExp(`^(?:(${DOMAIN_AND_PORT})/)?(${REMOTE_NAME})$`);
const ANCHORED_TAG_RE = new RegExp(`^${TAG}$`);
const ANCHORED_DOMAIN_RE = new RegExp(`^${DOMAIN_AND_PORT}$`);
const ANCHORED_IDENTIFIER_RE = /^[a-f0-9]{64}$/;

/** go-digest's algorithms, with the length of their hex encoding. */
const DIGEST_ALGORITHMS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
const DIGEST_FORMAT_RE = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

/** Docker's error texts. */
export const REFERENCE_ERRORS = {
  invalidFormat: 'invalid reference format',
  uppercase: 'invalid reference format: repository name must be lowercase',
  nameEmpty: 'repository name must have at least one component',
  nameTooLong: `repository name must not be more than ${NAME_TOTAL_LENGTH_MAX} characters`,
  tagFormat: 'invalid tag format',
  digestFormat: 'invalid checksum digest format',
  digestLength: 'invalid checksum digest length',
  digestUnsupported: 'unsupported digest algorithm',
} as const;

/** go-digest's Digest.Validate: throws InvalidArgument with its wording. */
export function validateDigest(digest: string): void {
  const i = digest.indexOf(':');
  if (i <= 0 || i + 1 === digest.length) throw invalidArgument(REFERENCE_ERRORS.digestFormat);
  const algorithm = digest.slice(0, i);
  const encoded = digest.slice(i + 1);
  const size = DIGEST_ALGORITHMS[algorithm];
  if (size === undefined) {
    if (!DIGEST_FORMAT_RE.test(digest)) throw invalidArgument(REFERENCE_ERRORS.digestFormat);
    throw invalidArgument(REFERENCE_ERRORS.digestUnsupported);
  }
  if (encoded.length !== size) throw invalidArgument(REFERENCE_ERRORS.digestLength);
  if (!/^[a-f0-9]+$/.test(encoded)) throw invalidArgument(REFERENCE_ERRORS.digestFormat);
}

/** Whether `s` is a valid tag (`[\w][\w.-]{0,127}`). */
export function isValidTag(s: string): boolean {
  return ANCHORED_TAG_RE.test(s);
}

/** Whether `s` is a registry host as references spell it (name or [IPv6], optional port). */
export function isValidDomain(s: string): boolean {
  return ANCHORED_DOMAIN_RE.test(s);
}

/** distribution/reference Parse: the grammar, without normalisation. Throws InvalidArgument. */
function parseStrict(s: string): { name: string; tag?: string; digest?: string } {
  const m = REFERENCE_RE.exec(s);
  if (!m) {
    if (s === '') throw invalidArgument(REFERENCE_ERRORS.nameEmpty);
    if (REFERENCE_RE.test(s.toLowerCase())) throw invalidArgument(REFERENCE_ERRORS.uppercase);
    throw invalidArgument(REFERENCE_ERRORS.invalidFormat);
  }
  // The limit applies to the path, without the domain.
  const path = ANCHORED_NAME_RE.exec(m[1])?.[2] ?? m[1];
  if (path.length > NAME_TOTAL_LENGTH_MAX) throw invalidArgument(REFERENCE_ERRORS.nameTooLong);
  if (m[3]) validateDigest(m[3]);
  return { name: m[1], tag: m[2] || undefined, digest: m[3] || undefined };
}

/** distribution/reference's splitDockerDomain. */
function splitDockerDomain(name: string): { domain: string; remainder: string } {
  const i = name.indexOf('/');
  let domain: string;
  let remainder: string;
  const first = i >= 0 ? name.slice(0, i) : '';
  if (i === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = DEFAULT_DOMAIN;
    remainder = name;
  } else {
    domain = first;
    remainder = name.slice(i + 1);
  }
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !remainder.includes('/')) remainder = OFFICIAL_REPO_PREFIX + remainder;
  return { domain, remainder };
}

/** Parses and normalises like Docker's ParseNormalizedNamed; throws InvalidArgument with Docker's text. */
export function parseReference(input: string): Reference {
  if (ANCHORED_IDENTIFIER_RE.test(input)) {
    throw invalidArgument(`invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`);
  }
  const { domain, remainder } = splitDockerDomain(input);
  const colon = remainder.indexOf(':');
  const remoteName = colon >= 0 ? remainder.slice(0, colon) : remainder;
  if (remoteName.toLowerCase() !== remoteName) {
    throw invalidArgument(`invalid reference format: repository name (${remoteName}) must be lowercase`);
  }
  const parsed = parseStrict(`${domain}/${remainder}`);
  const named = ANCHORED_NAME_RE.exec(parsed.name);
  if (!named || !named[1]) throw invalidArgument(REFERENCE_ERRORS.invalidFormat);
  return { domain: named[1], path: named[2], tag: parsed.tag, digest: parsed.digest };
}

/** Adds :latest when neither tag nor digest is given (Docker's TagNameOnly). */
export function withDefaultTag(ref: Reference): Reference {
  return ref.tag || ref.digest ? ref : { ...ref, tag: DEFAULT_TAG };
}

/**
 * The API's fromImage + tag pair (POST /images/create, /images/{name}/push): a `tag` that parses
 * as a digest selects by digest, as moby's httputils do; otherwise it must be a valid tag.
 */
export function withTagOrDigest(ref: Reference, tag: string | undefined): Reference {
  if (!tag) return ref;
  try {
    validateDigest(tag);
    return { domain: ref.domain, path: ref.path, digest: tag };
  } catch {
    // not a digest: a tag, checked below
  }
  if (!isValidTag(tag)) throw invalidArgument(REFERENCE_ERRORS.tagFormat);
  return { domain: ref.domain, path: ref.path, tag };
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
