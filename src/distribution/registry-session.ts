// One client's view of one registry: which scheme answers (https, or http for insecure registries),
// how it wants to be authenticated (its WWW-Authenticate challenge), and authenticated requests.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import type { AuthConfig } from './auth-config.js';
import { parseChallenges, type Challenge } from './auth-challenge.js';
import { discard, httpRequest, opName, readBody, TransportError } from './http-transport.js';
import { errorFromResponse } from './registry-errors.js';
import type { RegistryHosts } from './registry-hosts.js';
import { TokenCache } from './token-cache.js';

/** What sessions to the same daemon share: host policy, learned schemes, tokens. */
export interface RegistryContext {
  hosts: RegistryHosts;
  tokens: TokenCache;
  /** domain → base URL that answered last time (skips the failing https attempt on insecure hosts). */
  schemes: Map<string, { base: string; insecureTls: boolean }>;
}

export function newRegistryContext(hosts: RegistryHosts): RegistryContext {
  return { hosts, tokens: new TokenCache(), schemes: new Map() };
}

export interface SessionRequest {
  /** Token scopes this request needs, e.g. ["repository:library/busybox:pull"]. */
  scopes: string[];
  headers?: Record<string, string>;
  body?: Buffer | Readable;
  /** Follow 3xx redirects (blob downloads from storage backends). */
  followRedirects?: boolean;
}

export class RegistrySession {
  private base?: URL;
  private insecureTls = false;
  private challenge?: Challenge;

  constructor(
    /** The registry as references name it: docker.io, 127.0.0.1:5000. */
    readonly domain: string,
    private readonly ctx: RegistryContext,
    readonly auth?: AuthConfig,
  ) {}

  /** GET /v2/: finds the scheme that answers and the registry's challenge. */
  async ping(): Promise<void> {
    if (this.base) return;
    const known = this.ctx.schemes.get(this.domain);
    const apiHost = this.ctx.hosts.apiHost(this.domain);
    const insecure = await this.ctx.hosts.isInsecure(this.domain);
    const candidates = known
      ? [known]
      : [{ base: `https://${apiHost}`, insecureTls: insecure }, ...(insecure ? [{ base: `http://${apiHost}`, insecureTls: false }] : [])];
    let lastErr: unknown;
    for (const c of candidates) {
      const url = new URL('/v2/', c.base);
      try {
        const res = await httpRequest({ method: 'GET', url, insecureTls: c.insecureTls, idleTimeoutMs: 15_000 });
        discard(res);
        this.base = new URL(c.base);
        this.insecureTls = c.insecureTls;
        this.ctx.schemes.set(this.domain, c);
        if (res.statusCode === 401) this.challenge = pickChallenge(parseChallenges(res.headers['www-authenticate']));
        return;
      } catch (err) {
        lastErr = err;
        // A remembered scheme that stopped answering: try both again next time.
        if (known) this.ctx.schemes.delete(this.domain);
      }
    }
    throw lastErr;
  }

  /** The URL of a registry path ("/v2/…"), or a Location header resolved against the registry. */
  url(pathOrLocation: string): URL {
    if (!this.base) throw new Error('registry session used before ping');
    return new URL(pathOrLocation, this.base);
  }

  /** Sends a request with credentials; a 401 learns the challenge and retries once (when the body allows). */
  async request(method: string, target: string | URL, opts: SessionRequest): Promise<IncomingMessage> {
    await this.ping();
    let url = typeof target === 'string' ? this.url(target) : target;
    const resendable = opts.body === undefined || Buffer.isBuffer(opts.body);
    for (let attempt = 0, redirects = 0; ; ) {
      const headers: Record<string, string> = { ...opts.headers };
      const sameHost = url.host === this.base!.host;
      if (sameHost) {
        const authorization = await this.authorization(opts.scopes);
        if (authorization) headers.Authorization = authorization;
      }
      const res = await httpRequest({ method, url, headers, body: opts.body, insecureTls: this.insecureTls && url.protocol === 'https:' });
      const status = res.statusCode ?? 0;
      if (status === 401 && sameHost && attempt === 0 && resendable) {
        const fresh = pickChallenge(parseChallenges(res.headers['www-authenticate']));
        discard(res);
        attempt++;
        if (fresh) this.challenge = fresh;
        if (this.challenge?.scheme === 'basic' && !(this.auth?.username && this.auth.password)) {
          throw new TransportError(`${opName(method)} "${url.href}": no basic auth credentials`, undefined);
        }
        continue;
      }
      if (opts.followRedirects && [301, 302, 303, 307, 308].includes(status) && res.headers.location && redirects < 5) {
        discard(res);
        url = new URL(res.headers.location, url);
        redirects++;
        continue;
      }
      return res;
    }
  }

  /** The Authorization header for `scopes` under the current challenge, if any. */
  private async authorization(scopes: string[]): Promise<string | undefined> {
    const a = this.auth;
    if (a?.registrytoken) return `Bearer ${a.registrytoken}`;
    const c = this.challenge;
    if (!c) return undefined;
    if (c.scheme === 'basic') {
      return a?.username && a.password ? `Basic ${Buffer.from(`${a.username}:${a.password}`).toString('base64')}` : undefined;
    }
    if (c.scheme === 'bearer') return `Bearer ${await this.token(c, scopes)}`;
    return undefined;
  }

  /** A bearer token from the challenge's realm (cached per scope set). */
  private async token(c: Challenge, scopes: string[]): Promise<string> {
    const realm = c.parameters.realm;
    if (!realm) throw new Error(`registry ${this.domain} sent a bearer challenge without a realm`);
    const service = c.parameters.service ?? '';
    const a = this.auth;
    // Keyed by the whole credential (a hash of it): a wrong password must not reuse a good one's token.
    const who = a ? createHash('sha256').update(`${a.username ?? ''}\0${a.password ?? ''}\0${a.identitytoken ?? ''}`).digest('hex') : '';
    const key = TokenCache.key(realm, service, scopes, who);
    const cached = this.ctx.tokens.get(key);
    if (cached) return cached;

    const url = new URL(realm);
    const headers: Record<string, string> = {};
    let method = 'GET';
    let body: Buffer | undefined;
    if (a?.identitytoken) {
      // OAuth2 refresh-token grant, as Docker uses identity tokens.
      method = 'POST';
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: a.identitytoken, service, client_id: 'docker' });
      if (scopes.length) form.set('scope', scopes.join(' '));
      body = Buffer.from(form.toString());
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    } else {
      if (service) url.searchParams.set('service', service);
      for (const s of scopes) url.searchParams.append('scope', s);
      if (a?.username && a.password) {
        url.searchParams.set('account', a.username);
        headers.Authorization = `Basic ${Buffer.from(`${a.username}:${a.password}`).toString('base64')}`;
      }
    }
    const res = await httpRequest({ method, url, headers, body, insecureTls: this.insecureTls });
    const text = await readBody(res, 1 << 20);
    if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) {
      throw errorFromResponse(res.statusCode ?? 0, res.headers, text);
    }
    let parsed: { token?: string; access_token?: string; expires_in?: number };
    try {
      parsed = JSON.parse(text.toString('utf8')) as typeof parsed;
    } catch (err) {
      throw new Error(`unable to decode token response: ${(err as Error).message}`);
    }
    const token = parsed.access_token || parsed.token;
    if (!token) throw new Error('authorization server did not include a token in the response');
    this.ctx.tokens.set(key, token, parsed.expires_in);
    return token;
  }

  /** GET /v2/_catalog, all pages. */
  async catalog(pageSize = 100): Promise<string[]> {
    const out: string[] = [];
    let next: string | undefined = `/v2/_catalog?n=${pageSize}`;
    while (next) {
      const res = await this.request('GET', next, { scopes: ['registry:catalog:*'] });
      const body = await readBody(res);
      if ((res.statusCode ?? 0) !== 200) throw errorFromResponse(res.statusCode ?? 0, res.headers, body);
      const page = parseJson<{ repositories?: string[] }>(body, 'catalog');
      out.push(...(page.repositories ?? []));
      next = nextLink(res.headers.link);
    }
    return out;
  }
}

/** Bearer wins over Basic when a registry offers both, as in distribution's client. */
function pickChallenge(challenges: Challenge[]): Challenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
}

/** The `<url>; rel="next"` of a Link header (catalog and tag list pagination). */
export function nextLink(link: string | string[] | undefined): string | undefined {
  const v = Array.isArray(link) ? link[0] : link;
  if (!v) return undefined;
  const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(v);
  return m?.[1];
}

export function parseJson<T>(body: Buffer, what: string): T {
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch (err) {
    throw new Error(`error parsing ${what} response: ${(err as Error).message}`);
  }
}
