// berthd: the composition root. Builds the stores, the runtime and the API server.
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { EventBus } from '../core/events.js';
import { KeyedLock } from '../core/keyed-lock.js';
import { containerBackend, imageBackend, systemBackend } from '../daemon/backend.js';
import { archiveBackend } from '../daemon/backend-archive.js';
import { buildBackend } from '../daemon/backend-build.js';
import { eventsBackend } from '../daemon/backend-events.js';
import { execBackend } from '../daemon/backend-exec.js';
import { filesystemBackend } from '../daemon/backend-filesystem.js';
import { opsBackend } from '../daemon/backend-ops.js';
import { resourcesBackend } from '../daemon/backend-resources.js';
import { distributionBackend, withPartialBlobPrune } from '../daemon/backend-distribution.js';
import { DEFAULT_DISTRIBUTION_OPTIONS, Distribution, type DistributionOptions } from '../distribution/distribution.js';
import { distributionRoutes } from '../server/routers/distribution.js';
import { archiveRoutes } from '../server/routers/archive.js';
import { buildRoutes } from '../server/routers/build.js';
import { eventsRoutes } from '../server/routers/events.js';
import { execRoutes } from '../server/routers/exec.js';
import { filesystemRoutes } from '../server/routers/filesystem.js';
import { opsRoutes } from '../server/routers/ops.js';
import { resourcesRoutes } from '../server/routers/resources.js';
import { containerExited } from '../daemon/container-exit.js';
import type { Daemon, DaemonConfig } from '../daemon/daemon.js';
import { restoreContainers } from '../daemon/daemon-restore.js';
import { LogRotator } from '../daemon/log-rotator.js';
import { enableFavordynmods } from '../host/cgroup-favordynmods.js';
import { LocalContentStore } from '../plugins/content-local/local-content-store.js';
import { FileContainerStore } from '../plugins/metadata-store/container-store.js';
import { FileImageStore } from '../plugins/metadata-store/image-store.js';
import { ConmonRuntime } from '../plugins/runtime-conmon/conmon-runtime.js';
import { OverlaySnapshotter } from '../plugins/snapshotter-overlay/overlay-snapshotter.js';
import { containerRoutes } from '../server/routers/containers.js';
import { imageRoutes } from '../server/routers/images.js';
import { systemRoutes } from '../server/routers/system.js';
import { Router } from '../server/router.js';
import { ApiServer } from '../server/server.js';

const USAGE = `Usage: berthd [OPTIONS]

A container engine that serves the Docker Engine API.

Options:
  -H, --host list          Daemon socket(s) to listen on (default unix:///run/berth/berth.sock)
      --data-root string   Root directory of persistent state (default "/var/lib/berth")
      --exec-root string   Root directory for execution state (default "/run/berth")
      --runtime string     Default OCI runtime: runc or crun (default "runc")
      --insecure-registry list          Registries (host[:port] or CIDR) reachable over plain http
      --max-concurrent-downloads int    Maximum concurrent downloads for each pull (default 3)
      --max-concurrent-uploads int      Maximum concurrent uploads for each push (default 5)
      --max-download-attempts int       Maximum download attempts for each pull (default 5)
      --cgroup-favordynmods bool        Remount cgroup2 with favordynmods for fast container starts (default true)
  -h, --help               Print usage
`;

/** Registry client settings (--insecure-registry, --max-concurrent-*), filled by parseArgs. */
const distributionOptions: DistributionOptions = { ...DEFAULT_DISTRIBUTION_OPTIONS, insecureRegistries: [] };

function positiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) fail(`invalid value "${v}" for ${flag}: must be a positive integer`);
  return n;
}

function bool(flag: string, v: string | undefined): boolean {
  if (v === undefined || v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return fail(`invalid value "${v}" for ${flag}: must be true or false`);
}

/** --cgroup-favordynmods: see host/cgroup-favordynmods.ts. */
let favordynmods = true;

function parseArgs(argv: string[]): DaemonConfig {
  const cfg: DaemonConfig = { dataRoot: '/var/lib/berth', execRoot: '/run/berth', hosts: [], defaultRuntime: 'runc', startedAt: new Date() };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i] ?? fail(`flag needs an argument: ${flag}`);
    switch (flag) {
      case '-H': case '--host': cfg.hosts.push(value()); break;
      case '--data-root': cfg.dataRoot = path.resolve(value()); break;
      case '--exec-root': cfg.execRoot = path.resolve(value()); break;
      case '--runtime': case '--default-runtime': cfg.defaultRuntime = value(); break;
      case '--insecure-registry': distributionOptions.insecureRegistries.push(value()); break;
      case '--max-concurrent-downloads': distributionOptions.maxConcurrentDownloads = positiveInt(flag, value()); break;
      case '--max-concurrent-uploads': distributionOptions.maxConcurrentUploads = positiveInt(flag, value()); break;
      case '--max-download-attempts': distributionOptions.maxDownloadAttempts = positiveInt(flag, value()); break;
      case '--cgroup-favordynmods': favordynmods = bool(flag, inline); break;
      case '-D': case '--debug': break;
      case '-h': case '--help': process.stdout.write(USAGE); process.exit(0);
      default: fail(`unknown flag: ${flag}`);
    }
  }
  if (cfg.hosts.length === 0) cfg.hosts.push(`unix://${path.join(cfg.execRoot, 'berth.sock')}`);
  if (!['runc', 'crun'].includes(cfg.defaultRuntime)) fail(`unknown runtime: ${cfg.defaultRuntime}`);
  return cfg;
}

function tuneCgroups(): void {
  try {
    if (enableFavordynmods() === 'enabled') log('cgroup2 remounted with favordynmods: container starts skip a ~10 ms wait');
  } catch (err) {
    log(`cgroup2 favordynmods not available (${(err as Error).message}); container starts stay ~10 ms slower`);
  }
}

function fail(msg: string): never {
  process.stderr.write(`berthd: ${msg}\n`);
  process.exit(1);
}

/** Refuses to run twice on one data root: both would manage the same containers. */
async function claimPidFile(file: string): Promise<void> {
  try {
    const pid = Number(readFileSync(file, 'utf8'));
    if (pid && pid !== process.pid) {
      process.kill(pid, 0);
      fail(`another berthd (pid ${pid}) is running with ${path.dirname(file)}`);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && (err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
  await fs.writeFile(file, String(process.pid));
}

async function main(): Promise<void> {
  const cfg = parseArgs(process.argv.slice(2));
  await fs.mkdir(cfg.dataRoot, { recursive: true, mode: 0o711 });
  await fs.mkdir(cfg.execRoot, { recursive: true, mode: 0o711 });
  const pidFile = path.join(cfg.execRoot, 'berthd.pid');
  await claimPidFile(pidFile);

  if (favordynmods) tuneCgroups();
  const runtime = new ConmonRuntime(cfg.execRoot, cfg.defaultRuntime);
  const lock = new KeyedLock();
  const d: Daemon = {
    config: cfg,
    content: new LocalContentStore(path.join(cfg.dataRoot, 'content')),
    snapshots: new OverlaySnapshotter(path.join(cfg.dataRoot, 'snapshots')),
    images: new FileImageStore(cfg.dataRoot),
    containers: new FileContainerStore(path.join(cfg.dataRoot, 'containers')),
    runtime,
    events: new EventBus(),
    lock: (key, fn) => lock.run(key, fn),
    pendingNames: new Set(),
  };
  await Promise.all([d.images.load(), d.containers.load(), runtime.init()]);
  runtime.onExit((e) => void containerExited(d, e).catch((err) => log(`exit of ${e.id}: ${err}`)));
  // Before restore, so the events it publishes already carry names and labels.
  const events = eventsBackend(d);
  const logRotator = new LogRotator(d);
  logRotator.listen();
  await restoreContainers(d, (id, name) => runtime.adopt(id, name));
  logRotator.adoptRunning();

  const router = new Router();
  systemRoutes(router, systemBackend(d));
  containerRoutes(router, containerBackend(d));
  const dist = new Distribution(cfg.dataRoot, distributionOptions);
  const images = imageBackend(d);
  const pull = distributionRoutes(router, distributionBackend(d, dist));
  imageRoutes(router, { ...images, imagePrune: withPartialBlobPrune(images.imagePrune, dist) }, pull);
  archiveRoutes(router, archiveBackend(d));
  eventsRoutes(router, events);
  opsRoutes(router, opsBackend(d));
  filesystemRoutes(router, filesystemBackend(d));
  resourcesRoutes(router, resourcesBackend(d));
  execRoutes(router, execBackend(d));
  buildRoutes(router, buildBackend(d, dist));
  const server = new ApiServer(router, log);
  for (const host of cfg.hosts) await server.listen(host);
  log(`berthd ${process.pid} listening on ${cfg.hosts.join(', ')}`);

  const shutdown = async () => {
    // Containers keep running under conmon; the next berthd re-adopts them.
    await server.close();
    // Cleanups of exited containers (runc delete: their cgroups) and removed snapshots finish first, within bounds.
    await Promise.race([Promise.all([runtime.drain(), d.snapshots.settled()]), new Promise((r) => setTimeout(r, 5000))]);
    logRotator.close();
    runtime.close();
    await fs.rm(pidFile, { force: true });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
}

function log(msg: string): void {
  process.stderr.write(`${new Date().toISOString()} ${msg}\n`);
}

main().catch((err) => {
  log(`berthd: ${err instanceof Error ? err.stack : err}`);
  process.exit(1);
});
