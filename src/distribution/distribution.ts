// The registry client's long-lived state in one daemon: host policy, learned schemes and tokens,
// the blob-source record, downloads in flight (shared by concurrent pulls of the same blob), and the
// limits set by berthd's flags.
import type { AuthConfig } from './auth-config.js';
import type { BlobDownload } from './blob-download.js';
import { BlobSources } from './blob-sources.js';
import { Limiter } from './limiter.js';
import { distributionPaths, type DistributionPaths } from './paths.js';
import { RegistryHosts } from './registry-hosts.js';
import { RegistryRepository } from './registry-repository.js';
import { newRegistryContext, RegistrySession, type RegistryContext } from './registry-session.js';

export interface DistributionOptions {
  /** --insecure-registry */
  insecureRegistries: string[];
  /** --max-concurrent-downloads (Docker's default 3). */
  maxConcurrentDownloads: number;
  /** --max-concurrent-uploads (Docker's default 5). */
  maxConcurrentUploads: number;
  /** --max-download-attempts (Docker's default 5). */
  maxDownloadAttempts: number;
  /** gzip level for layers compressed on push (1 fastest … 9 smallest). */
  pushCompressionLevel: number;
  /** Delay before download retry n, in ms (Docker: 5 s × n). */
  retryDelayMs(n: number): number;
}

export const DEFAULT_DISTRIBUTION_OPTIONS: DistributionOptions = {
  insecureRegistries: [],
  maxConcurrentDownloads: 3,
  maxConcurrentUploads: 5,
  maxDownloadAttempts: 5,
  pushCompressionLevel: 1,
  retryDelayMs: (n) => 1000 * n,
};

export class Distribution {
  readonly paths: DistributionPaths;
  readonly registries: RegistryContext;
  readonly sources: BlobSources;
  /** Partial-file path → the download filling it (once it has a slot). */
  readonly downloads = new Map<string, Promise<BlobDownload>>();
  readonly downloadSlots: Limiter;
  readonly uploadSlots: Limiter;

  constructor(
    dataRoot: string,
    readonly options: DistributionOptions = DEFAULT_DISTRIBUTION_OPTIONS,
  ) {
    this.paths = distributionPaths(dataRoot);
    this.registries = newRegistryContext(new RegistryHosts({ insecureRegistries: options.insecureRegistries }));
    this.sources = new BlobSources(this.paths.blobSources);
    this.downloadSlots = new Limiter(Math.max(1, options.maxConcurrentDownloads));
    this.uploadSlots = new Limiter(Math.max(1, options.maxConcurrentUploads));
  }

  session(domain: string, auth?: AuthConfig): RegistrySession {
    return new RegistrySession(domain, this.registries, auth);
  }

  repository(domain: string, path: string, auth: AuthConfig | undefined, push = false): RegistryRepository {
    return new RegistryRepository(this.session(domain, auth), path, push);
  }
}
