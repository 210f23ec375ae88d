// API versions this daemon speaks (Docker 28.3+ speaks 1.51).
export const API_VERSION = '1.51';
export const MIN_API_VERSION = '1.24';
export const ENGINE_VERSION = '28.3.0';
export const BERTH_VERSION = '0.1.0';

/** Compares dotted versions numerically: -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export const versionAtLeast = (v: string, min: string) => compareVersions(v, min) >= 0;
