// Where a registry named in a reference lives, and whether plain http is allowed there. As Docker:
// https always; http too (after https fails) only for insecure registries — 127.0.0.0/8, ::1 and
// the daemon's --insecure-registry entries (host[:port] names or CIDRs).
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { DEFAULT_DOMAIN } from '../oci/reference.js';

/** Docker Hub's API host, and the key Docker uses for its credentials. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
export const DOCKER_HUB_INDEX_SERVER = 'https://index.docker.io/v1/';

export interface RegistryHostsOptions {
  /** --insecure-registry values: "host:port", "host", or CIDRs like "10.0.0.0/8". */
  insecureRegistries?: string[];
}

interface Cidr {
  family: 4 | 6;
  bytes: Buffer;
  bits: number;
}

export class RegistryHosts {
  private readonly names = new Set<string>();
  private readonly cidrs: Cidr[];

  constructor(opts: RegistryHostsOptions = {}) {
    const cidrs = ['127.0.0.0/8', '::1/128'];
    for (const entry of opts.insecureRegistries ?? []) {
      const v = entry.replace(/^https?:\/\//, '').replace(/\/+$/, '');
      if (/\/\d+$/.test(v) && net.isIP(v.slice(0, v.lastIndexOf('/')))) cidrs.push(v);
      else this.names.add(v.toLowerCase());
    }
    this.cidrs = cidrs.map(parseCidr);
  }

  /** The host:port requests go to (docker.io's API lives on registry-1.docker.io). */
  apiHost(domain: string): string {
    return domain === DEFAULT_DOMAIN ? DOCKER_HUB_API_HOST : domain;
  }

  /** Whether http:// may be used for `domain` (after https fails), as Docker's isSecureIndex decides. */
  async isInsecure(domain: string): Promise<boolean> {
    if (domain === DEFAULT_DOMAIN) return false;
    const lower = domain.toLowerCase();
    const { host } = splitHostPort(lower);
    if (this.names.has(lower) || this.names.has(host)) return true;
    let addrs: string[];
    if (net.isIP(host)) addrs = [host];
    else {
      try {
        addrs = (await lookup(host, { all: true })).map((a) => a.address);
      } catch {
        return false;
      }
    }
    return addrs.some((a) => this.cidrs.some((c) => inCidr(a, c)));
  }
}

/** "[::1]:5000" → { host: "::1", port: "5000" }; "example.com" → { host, port: "" }. */
export function splitHostPort(hostPort: string): { host: string; port: string } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort);
  if (v6) return { host: v6[1], port: v6[2] ?? '' };
  const i = hostPort.lastIndexOf(':');
  if (i >= 0 && hostPort.indexOf(':') === i) return { host: hostPort.slice(0, i), port: hostPort.slice(i + 1) };
  return { host: hostPort, port: '' };
}

function parseCidr(s: string): Cidr {
  const [addr, bits] = s.split('/');
  const family = net.isIP(addr) as 4 | 6;
  return { family, bytes: ipBytes(addr, family), bits: Number(bits) };
}

function inCidr(addr: string, c: Cidr): boolean {
  let family = net.isIP(addr) as 0 | 4 | 6;
  let a = addr;
  // IPv4-mapped IPv6 addresses count as their IPv4 address.
  if (family === 6 && /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(a)) {
    a = a.slice(7);
    family = 4;
  }
  if (family !== c.family) return false;
  const bytes = ipBytes(a, family);
  for (let bit = 0; bit < c.bits; bit++) {
    const mask = 0x80 >> bit % 8;
    if ((bytes[bit >> 3] & mask) !== (c.bytes[bit >> 3] & mask)) return false;
  }
  return true;
}

function ipBytes(addr: string, family: 4 | 6): Buffer {
  if (family === 4) return Buffer.from(addr.split('.').map(Number));
  const [head, tail = ''] = addr.includes('::') ? addr.split('::') : [addr, undefined as unknown as string];
  const h = head ? head.split(':') : [];
  const t = addr.includes('::') && tail ? tail.split(':') : [];
  const groups = addr.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g || '0', 16), i * 2));
  return out;
}
