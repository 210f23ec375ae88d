// The client configuration file, ~/.berth/config.json (--config / $BERTH_CONFIG move the directory),
// in Docker's schema: {"auths": {"127.0.0.1:5000": {"auth": "base64(user:password)"}}}. Credentials
// are read from Docker's own config ($DOCKER_CONFIG or ~/.docker/config.json) when berth's has none.
// Written as Docker writes it: mode 0600 in a 0700 directory, tab-indented, atomically.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/** Docker Hub's key in "auths", and the server `login` talks to by default. */
export const INDEX_SERVER = 'https://index.docker.io/v1/';

export interface AuthEntry {
  auth?: string;
  identitytoken?: string;
  username?: string;
  password?: string;
  email?: string;
}

export interface Credentials {
  username?: string;
  password?: string;
  identitytoken?: string;
  serveraddress: string;
}

type ConfigData = Record<string, unknown> & { auths?: Record<string, AuthEntry> };

export function configPath(configDir: string): string {
  return path.join(configDir, 'config.json');
}

/** Docker's config file, read as a fallback for credentials. */
export function dockerConfigPath(env: Record<string, string | undefined>): string {
  return path.join(env.DOCKER_CONFIG || path.join(env.HOME ?? '', '.docker'), 'config.json');
}

async function readConfig(file: string): Promise<ConfigData> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  if (!text.trim()) return {};
  try {
    const data = JSON.parse(text) as unknown;
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as ConfigData) : {};
  } catch (err) {
    throw new Error(`loading config file: ${file}: ${(err as Error).message}`);
  }
}

async function writeConfig(file: string, data: ConfigData): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = path.join(path.dirname(file), `.config.json.${randomBytes(4).toString('hex')}.tmp`);
  const fh = await fs.open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(JSON.stringify(data, null, '\t'));
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** Docker's ConvertToHostname: "https://host:5000/v1/" → "host:5000". */
export function hostnameOf(address: string): string {
  let s = address.replace(/^https?:\/\//, '');
  const slash = s.indexOf('/');
  if (slash >= 0) s = s.slice(0, slash);
  return s;
}

/** The "auths" key a registry's credentials live under (Docker Hub's index URL for docker.io). */
export function authKey(domain: string): string {
  return domain === 'docker.io' || domain === 'index.docker.io' || domain === 'registry-1.docker.io' ? INDEX_SERVER : domain;
}

function findEntry(auths: Record<string, AuthEntry> | undefined, key: string): AuthEntry | undefined {
  if (!auths) return undefined;
  if (auths[key]) return auths[key];
  const host = hostnameOf(key);
  for (const [k, v] of Object.entries(auths)) if (hostnameOf(k) === host) return v;
  return undefined;
}

function decodeEntry(entry: AuthEntry, serveraddress: string): Credentials | undefined {
  let { username, password } = entry;
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
  }
  if (!username && !entry.identitytoken) return undefined;
  return { username, password, identitytoken: entry.identitytoken || undefined, serveraddress };
}

/** Stored credentials for a registry key: berth's config first, then Docker's. */
export async function loadCredentials(configDir: string, env: Record<string, string | undefined>, key: string): Promise<Credentials | undefined> {
  for (const file of [configPath(configDir), dockerConfigPath(env)]) {
    let data: ConfigData;
    try {
      data = await readConfig(file);
    } catch {
      continue;
    }
    const entry = findEntry(data.auths, key);
    const creds = entry && decodeEntry(entry, key);
    if (creds) return creds;
  }
  return undefined;
}

/** Stores credentials in berth's config; returns whether the stored entry changed. */
export async function storeCredentials(configDir: string, creds: Credentials): Promise<boolean> {
  const file = configPath(configDir);
  const data = await readConfig(file);
  const auths = (data.auths ??= {});
  const entry: AuthEntry = creds.identitytoken
    ? { auth: Buffer.from(`${creds.username ?? ''}:`).toString('base64'), identitytoken: creds.identitytoken }
    : { auth: Buffer.from(`${creds.username ?? ''}:${creds.password ?? ''}`).toString('base64') };
  const changed = JSON.stringify(auths[creds.serveraddress]) !== JSON.stringify(entry);
  auths[creds.serveraddress] = entry;
  await writeConfig(file, data);
  return changed;
}

/** Removes the credentials stored under any of `keys`; returns whether something was removed. */
export async function eraseCredentials(configDir: string, keys: string[]): Promise<boolean> {
  const file = configPath(configDir);
  const data = await readConfig(file);
  if (!data.auths) return false;
  let removed = false;
  for (const k of keys) {
    if (k in data.auths) {
      delete data.auths[k];
      removed = true;
    }
  }
  if (removed) await writeConfig(file, data);
  return removed;
}

/** X-Registry-Auth: base64url of the JSON AuthConfig ("e30=", i.e. {}, when anonymous). */
export function encodeRegistryAuth(creds: Credentials | undefined): string {
  const body: Record<string, string> = {};
  if (creds?.username) body.username = creds.username;
  if (creds?.password) body.password = creds.password;
  if (creds?.identitytoken) body.identitytoken = creds.identitytoken;
  if (creds?.serveraddress && (creds.username || creds.identitytoken)) body.serveraddress = creds.serveraddress;
  // Go's base64.URLEncoding: URL-safe alphabet, with padding.
  return Buffer.from(JSON.stringify(body)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** The X-Registry-Auth value for a registry (by reference domain), from the stored credentials. */
export async function registryAuthFor(configDir: string, env: Record<string, string | undefined>, domain: string): Promise<string> {
  return encodeRegistryAuth(await loadCredentials(configDir, env, authKey(domain)));
}
