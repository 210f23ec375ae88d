// GET /images/search: `docker search`. A registry's repositories come from its /v2/_catalog,
// filtered by the term; Docker Hub (no catalog) is asked through its v1 search API.
import type { AuthConfig } from '../distribution/auth-config.js';
import type { Distribution } from '../distribution/distribution.js';
import { httpRequest, readBody } from '../distribution/http-transport.js';
import { parseFilters } from '../core/filters.js';
import { internal, invalidArgument } from '../errdefs/errors.js';
import { DEFAULT_DOMAIN } from '../oci/reference.js';

export interface SearchResult {
  star_count: number;
  is_official: boolean;
  name: string;
  is_automated: boolean;
  description: string;
}

export interface ImageSearchOptions {
  limit?: number;
  filters?: string | null;
  auth?: AuthConfig;
}

const DEFAULT_LIMIT = 25;

/** Docker's splitReposSearchTerm: "127.0.0.1:5000/foo" searches that registry for "foo". */
export function splitSearchTerm(term: string): { domain: string; remote: string } {
  const slash = term.indexOf('/');
  const first = slash >= 0 ? term.slice(0, slash) : '';
  if (slash < 0 || (!first.includes('.') && !first.includes(':') && first !== 'localhost')) return { domain: DEFAULT_DOMAIN, remote: term };
  return { domain: first, remote: term.slice(slash + 1) };
}

export async function imageSearch(dist: Distribution, term: string, opts: ImageSearchOptions = {}): Promise<SearchResult[]> {
  const limit = opts.limit ?? DEFAULT_LIMIT;
  if (opts.limit !== undefined && (limit < 1 || limit > 100)) throw invalidArgument(`limit ${limit} is outside the range of [1, 100]`);
  const filters = parseFilters(opts.filters ?? null, ['is-automated', 'is-official', 'stars']);
  for (const key of Object.keys(filters)) {
    if (!['is-automated', 'is-official', 'stars'].includes(key)) throw invalidArgument(`invalid filter '${key}'`);
  }
  const minStars = Math.max(0, ...(filters.stars ?? []).map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n)) throw invalidArgument(`invalid filter 'stars=${v}'`);
    return n;
  }));
  const wantOfficial = boolFilter(filters['is-official'], 'is-official');
  const wantAutomated = boolFilter(filters['is-automated'], 'is-automated');

  const { domain, remote } = splitSearchTerm(term);
  const results = domain === DEFAULT_DOMAIN ? await hubSearch(remote, limit) : await catalogSearch(dist, domain, remote, opts.auth);
  return results
    .filter((r) => r.star_count >= minStars)
    .filter((r) => wantOfficial === undefined || r.is_official === wantOfficial)
    .filter((r) => wantAutomated === undefined || r.is_automated === wantAutomated)
    .slice(0, limit);
}

function boolFilter(values: string[] | undefined, name: string): boolean | undefined {
  if (!values?.length) return undefined;
  const v = values[values.length - 1];
  if (v !== 'true' && v !== 'false' && v !== '1' && v !== '0') throw invalidArgument(`invalid filter '${name}=${v}'`);
  return v === 'true' || v === '1';
}

async function catalogSearch(dist: Distribution, domain: string, remote: string, auth?: AuthConfig): Promise<SearchResult[]> {
  const repos = await dist.session(domain, auth).catalog();
  const needle = remote.toLowerCase();
  return repos
    .filter((r) => r.toLowerCase().includes(needle))
    .map((r) => ({ star_count: 0, is_official: false, name: `${domain}/${r}`, is_automated: false, description: '' }));
}

/** Docker Hub's index search (https://index.docker.io/v1/search). */
async function hubSearch(term: string, limit: number): Promise<SearchResult[]> {
  const url = new URL('https://index.docker.io/v1/search');
  url.searchParams.set('q', term);
  url.searchParams.set('n', String(limit));
  const res = await httpRequest({ method: 'GET', url, idleTimeoutMs: 15_000 });
  const body = await readBody(res);
  if (res.statusCode !== 200) throw internal(`Unexpected status code ${res.statusCode}`);
  try {
    return ((JSON.parse(body.toString('utf8')) as { results?: SearchResult[] }).results ?? []).map((r) => ({
      star_count: r.star_count ?? 0,
      is_official: Boolean(r.is_official),
      name: r.name,
      is_automated: Boolean(r.is_automated),
      description: r.description ?? '',
    }));
  } catch (err) {
    throw internal(`error decoding search results: ${(err as Error).message}`);
  }
}

