// POST /auth: `docker login`. Checks the credentials against the registry's /v2/ (Basic, or the
// bearer token flow its challenge asks for); berthd keeps nothing — the CLI stores them.
import { BerthError } from '../errdefs/errors.js';
import { convertToHostname, normalizeAuthConfig } from '../distribution/auth-config.js';
import type { Distribution } from '../distribution/distribution.js';
import { discard } from '../distribution/http-transport.js';
import { RegistryError } from '../distribution/registry-errors.js';
import { DOCKER_HUB_API_HOST } from '../distribution/registry-hosts.js';
import { DEFAULT_DOMAIN, LEGACY_DEFAULT_DOMAIN } from '../oci/reference.js';
import { STATUS_CODES } from 'node:http';

export interface AuthLoginResult {
  Status: string;
  IdentityToken: string;
}

/** The registry a login's serveraddress names ("" and Docker Hub's index URL are docker.io). */
export function loginDomain(serveraddress: string | undefined): string {
  if (!serveraddress) return DEFAULT_DOMAIN;
  const host = convertToHostname(serveraddress);
  return host === LEGACY_DEFAULT_DOMAIN || host === DOCKER_HUB_API_HOST ? DEFAULT_DOMAIN : host;
}

export async function authLogin(dist: Distribution, body: Record<string, unknown>): Promise<AuthLoginResult> {
  const auth = normalizeAuthConfig(body) ?? {};
  const domain = loginDomain(typeof body.serveraddress === 'string' ? body.serveraddress : undefined);
  const session = dist.session(domain, auth);
  let res;
  try {
    res = await session.request('GET', '/v2/', { scopes: [] });
  } catch (err) {
    if (err instanceof RegistryError && err.status === 401) throw new BerthError('Unauthorized', err.message, { cause: err });
    throw err;
  }
  discard(res);
  const status = res.statusCode ?? 0;
  if (status !== 200) {
    const url = session.url('/v2/').href;
    throw new BerthError('Unauthorized', `login attempt to ${url} failed with status: ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd());
  }
  return { Status: 'Login Succeeded', IdentityToken: '' };
}
