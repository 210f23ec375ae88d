// POST /containers/create
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { CreateRequest, HostConfig } from '../api/types.js';
import { entrypointAndArgs, mergeConfig } from '../core/container-config.js';
import { randomName, validateName } from '../core/container-names.js';
import { normalizeLogConfig } from '../core/log-options.js';
import { emptyState, type ContainerRecord } from '../core/containers.js';
import { containerResolvConf, hostsFile } from '../core/oci-defaults.js';
import { conflict, invalidArgument } from '../errdefs/errors.js';
import { chainIds } from '../oci/digest.js';
import { containerFiles } from './container-files.js';
import { validateLifecycle } from './container-validate-lifecycle.js';
import { validateResources } from './container-validate-resources.js';
import type { Daemon } from './daemon.js';
import { resolveImage } from './image-resolve.js';

export interface CreateResult {
  Id: string;
  Warnings: string[];
}

export async function containerCreate(d: Daemon, req: CreateRequest, name?: string): Promise<CreateResult> {
  if (!req || typeof req !== 'object') throw invalidArgument('config cannot be empty in order to create a container');
  if (!req.Image) throw invalidArgument('No image specified');
  const image = resolveImage(d, req.Image);
  const hostConfig = normalizeHostConfig(req.HostConfig ?? {}, d.config.defaultRuntime);
  const warnings = validateResources(hostConfig);
  validateLifecycle(req, hostConfig);
  const { HostConfig: _h, NetworkingConfig: _n, ...userConfig } = req;
  const id = randomBytes(32).toString('hex');
  const config = mergeConfig(userConfig, image.config.config ?? {});
  config.Image = req.Image;
  config.Hostname = config.Hostname || id.slice(0, 12);
  const { path, args } = entrypointAndArgs(config);

  const fullName = reserveName(d, name);
  try {
    const record: ContainerRecord = {
      id,
      name: fullName,
      created: new Date().toISOString(),
      path,
      args,
      config,
      hostConfig,
      image: image.id,
      state: emptyState(),
      restartCount: 0,
      hasBeenManuallyStopped: false,
      runtime: hostConfig.Runtime as string,
    };
    const diffIds = image.config.rootfs.diff_ids;
    // Snapshot, files and record are written together; none is acknowledged
    // before all are, and a restart drops a record whose snapshot is missing.
    const prepared = d.snapshots.prepare(id, diffIds.length ? chainIds(diffIds).at(-1) : undefined);
    try {
      writeContainerFiles(d, record);
      await Promise.all([prepared, d.containers.save(record)]);
    } catch (err) {
      await prepared.catch(() => {});
      await d.containers.delete(id).catch(() => {});
      await d.snapshots.remove(id).catch(() => {});
      throw err;
    }
    d.events.publish('container', 'create', id, { image: config.Image, name: fullName.slice(1) });
    return { Id: id, Warnings: warnings };
  } finally {
    d.pendingNames.delete(fullName);
  }
}

/** Claims a name synchronously so two concurrent creates cannot both get it. */
function reserveName(d: Daemon, requested?: string): string {
  const taken = (n: string) => d.pendingNames.has(n) || d.containers.list().some((c) => c.name === n);
  const full = requested ? validateName(requested) : randomName(taken);
  if (taken(full)) {
    const owner = d.containers.list().find((c) => c.name === full);
    throw conflict(
      `Conflict. The container name "${full}" is already in use by container "${owner?.id ?? ''}". ` +
        'You have to remove (or rename) that container to be able to reuse that name.',
    );
  }
  d.pendingNames.add(full);
  return full;
}

function normalizeHostConfig(h: HostConfig, defaultRuntime: string): HostConfig {
  const mode = !h.NetworkMode || h.NetworkMode === 'default' || h.NetworkMode === 'bridge' ? 'none' : h.NetworkMode;
  if (mode !== 'none' && mode !== 'host') {
    throw invalidArgument(`network ${mode} not found`);
  }
  if (h.Runtime && !['runc', 'crun'].includes(h.Runtime)) {
    throw invalidArgument(`unknown or invalid runtime name: ${h.Runtime}`);
  }
  return {
    ...h,
    NetworkMode: mode,
    RestartPolicy: h.RestartPolicy ?? { Name: 'no', MaximumRetryCount: 0 },
    LogConfig: normalizeLogConfig(h.LogConfig),
    AutoRemove: Boolean(h.AutoRemove),
    Runtime: h.Runtime || defaultRuntime,
  };
}

let hostResolvConf: string | undefined;

/**
 * Synchronous on purpose: four tiny files cost microseconds written directly,
 * but milliseconds queued on libuv's thread pool behind the fsyncs of a create.
 */
function writeContainerFiles(d: Daemon, c: ContainerRecord): void {
  const f = containerFiles(d, c.id);
  hostResolvConf ??= readFileSync('/etc/resolv.conf', 'utf8');
  mkdirSync(f.rootfs, { recursive: true });
  writeFileSync(f.hostname, `${c.config.Hostname}\n`);
  writeFileSync(f.hosts, hostsFile());
  writeFileSync(f.resolvConf, containerResolvConf(hostResolvConf));
  writeFileSync(f.log, '');
}
