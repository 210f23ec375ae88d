// Registry credentials as the Engine API carries them: the X-Registry-Auth header (base64url JSON)
// and the body of POST /auth. Field names are Docker's (registry.AuthConfig).
import { invalidArgument } from '../errdefs/errors.js';

export interface AuthConfig {
  username?: string;
  password?: string;
  /** base64("username:password"), as stored in config.json. */
  auth?: string;
  email?: string;
  serveraddress?: string;
  /** An OAuth refresh token from an earlier login. */
  identitytoken?: string;
  /** A bearer token to send as is. */
  registrytoken?: string;
}

/** Decodes X-Registry-Auth; an absent or empty header means anonymous. */
export function decodeRegistryAuth(header: string | undefined): AuthConfig | undefined {
  if (!header) return undefined;
  let json: unknown;
  try {
    // URL-safe base64 (Docker's encoding), standard base64 accepted too.
    json = JSON.parse(Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'));
  } catch (err) {
    throw invalidArgument(`invalid X-Registry-Auth header: ${(err as Error).message}`);
  }
  if (!json || typeof json !== 'object') throw invalidArgument('invalid X-Registry-Auth header: not a JSON object');
  return normalizeAuthConfig(json as Record<string, unknown>);
}

/** Accepts Docker's field spellings (lowercase, or the Go names) and splits `auth` into username/password. */
export function normalizeAuthConfig(raw: Record<string, unknown>): AuthConfig | undefined {
  const pick = (...names: string[]) => {
    for (const n of names) {
      const v = raw[n];
      if (typeof v === 'string' && v !== '') return v;
    }
    return undefined;
  };
  const cfg: AuthConfig = {
    username: pick('username', 'Username'),
    password: pick('password', 'Password'),
    auth: pick('auth', 'Auth'),
    email: pick('email', 'Email'),
    serveraddress: pick('serveraddress', 'ServerAddress'),
    identitytoken: pick('identitytoken', 'IdentityToken'),
    registrytoken: pick('registrytoken', 'RegistryToken'),
  };
  if (cfg.auth && !cfg.username) {
    const decoded = Buffer.from(cfg.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      cfg.username = decoded.slice(0, colon);
      cfg.password = decoded.slice(colon + 1);
    }
  }
  const any = cfg.username || cfg.password || cfg.identitytoken || cfg.registrytoken;
  return any ? cfg : undefined;
}

/** Docker's ConvertToHostname: "https://host:5000/v1/" → "host:5000". */
export function convertToHostname(address: string): string {
  let s = address.replace(/^https?:\/\//, '');
  const slash = s.indexOf('/');
  if (slash >= 0) s = s.slice(0, slash);
  return s;
}
