import { createHash } from 'node:crypto';

export type Digest = `sha256:${string}`;

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

export const isDigest = (s: string): s is Digest => DIGEST_RE.test(s);

export function sha256(data: string | Buffer): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

export const hexOf = (d: string) => (d.startsWith('sha256:') ? d.slice(7) : d);

/** ChainID(1) = DiffID(1); ChainID(n) = sha256(ChainID(n-1) + " " + DiffID(n)). */
export function chainIds(diffIds: string[]): Digest[] {
  const out: Digest[] = [];
  for (const diff of diffIds) {
    const prev = out[out.length - 1];
    out.push(prev ? sha256(`${prev} ${diff}`) : (diff as Digest));
  }
  return out;
}
