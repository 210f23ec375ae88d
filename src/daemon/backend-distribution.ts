// Binds the registry verbs to one daemon and its registry client state, for the distribution router.
import type { JsonMessage } from '../api/types.js';
import { decodeRegistryAuth } from '../distribution/auth-config.js';
import type { Distribution } from '../distribution/distribution.js';
import { prunePartialBlobs } from '../distribution/partial-blobs.js';
import { authLogin } from './auth-login.js';
import type { Daemon } from './daemon.js';
import { imagePull } from './image-pull.js';
import { imagePush } from './image-push.js';
import { imageSearch } from './image-search.js';

type Progress = (m: JsonMessage) => void;

export function distributionBackend(d: Daemon, dist: Distribution) {
  return {
    imagePull: (req: { fromImage: string; tag?: string; platform?: string; registryAuth?: string; signal: AbortSignal }, progress: Progress) =>
      imagePull(
        d,
        dist,
        { fromImage: req.fromImage, tag: req.tag, platform: req.platform, auth: decodeRegistryAuth(req.registryAuth), signal: req.signal },
        progress,
      ),
    imagePush: (name: string, req: { tag?: string; registryAuth?: string; signal: AbortSignal }, progress: Progress) =>
      imagePush(d, dist, name, { tag: req.tag, auth: decodeRegistryAuth(req.registryAuth), signal: req.signal }, progress),
    authLogin: (body: Record<string, unknown>) => authLogin(dist, body),
    imageSearch: (term: string, opts: { limit?: number; filters?: string | null; registryAuth?: string }) =>
      imageSearch(dist, term, { limit: opts.limit, filters: opts.filters, auth: decodeRegistryAuth(opts.registryAuth) }),
  };
}

/** `image prune` also drops the partial blobs interrupted pulls left (their bytes count as reclaimed). */
export function withPartialBlobPrune<F extends (filters?: string | null) => Promise<{ SpaceReclaimed: number }>>(prune: F, dist: Distribution): F {
  return (async (filters?: string | null) => {
    const report = await prune(filters);
    report.SpaceReclaimed += await prunePartialBlobs(dist);
    return report;
  }) as F;
}
