// Builds the OCI runtime spec (bundle/config.json) for a container.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ContainerRecord } from '../core/containers.js';
import { mergeEnv } from '../core/container-config.js';
import {
  DEFAULT_CAPABILITIES,
  DEFAULT_PATH,
  MASKED_PATHS,
  READONLY_PATHS,
  defaultMounts,
} from '../core/oci-defaults.js';
import { ociResources, ociRlimits, shmSize, tmpfsMounts } from '../core/resources-oci.js';
import { resolveUser } from '../core/user-lookup.js';
import type { RuntimeSpec } from '../oci/runtime-spec.js';
import type { ContainerFiles } from './container-files.js';

const INIT_BINARY = '/usr/bin/catatonit';
const INIT_PATH = '/sbin/docker-init';

// Direct calls: two small files and a mkdir on the start path cost microseconds this way, thread-pool hops
// milliseconds.
function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/** Resolves the user inside the mounted rootfs and returns the spec. */
export function buildSpec(c: ContainerRecord, files: ContainerFiles): RuntimeSpec {
  const cfg = c.config;
  const passwd = readOr(path.join(files.rootfs, 'etc/passwd'), '');
  const group = readOr(path.join(files.rootfs, 'etc/group'), '');
  const user = resolveUser(cfg.User ?? '', passwd, group);
  const base = [DEFAULT_PATH, `HOSTNAME=${cfg.Hostname}`];
  if (cfg.Tty) base.push('TERM=xterm');
  let env = mergeEnv(base, cfg.Env ?? []);
  if (!env.some((e) => e.startsWith('HOME='))) env = [...env, `HOME=${user.home}`];
  const cwd = cfg.WorkingDir || '/';
  // Docker creates a missing working directory.
  mkdirSync(path.join(files.rootfs, cwd), { recursive: true });
  const networkNs = c.hostConfig.NetworkMode === 'host' ? [] : [{ type: 'network' }];
  const rlimits = ociRlimits(c.hostConfig);
  const bind = (source: string, destination: string) => ({
    destination,
    type: 'bind',
    source,
    options: ['rbind', 'rprivate'],
  });
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: Boolean(cfg.Tty),
      user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids },
      // --init: catatonit (static) as PID 1, where Docker puts its init, reaping and forwarding signals.
      args: c.hostConfig.Init ? [INIT_PATH, '--', c.path, ...c.args] : [c.path, ...c.args],
      env,
      cwd,
      capabilities: {
        bounding: DEFAULT_CAPABILITIES,
        effective: DEFAULT_CAPABILITIES,
        permitted: DEFAULT_CAPABILITIES,
        inheritable: [],
        ambient: [],
      },
      noNewPrivileges: false,
      ...(rlimits.length ? { rlimits } : {}),
    },
    root: { path: files.rootfs, readonly: Boolean(c.hostConfig.ReadonlyRootfs) },
    hostname: cfg.Hostname,
    mounts: [
      ...defaultMounts(shmSize(c.hostConfig)),
      bind(files.resolvConf, '/etc/resolv.conf'),
      bind(files.hostname, '/etc/hostname'),
      bind(files.hosts, '/etc/hosts'),
      ...(c.hostConfig.Init ? [{ destination: INIT_PATH, type: 'bind', source: INIT_BINARY, options: ['bind', 'ro'] }] : []),
      ...tmpfsMounts(c.hostConfig),
    ],
    linux: {
      namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, ...networkNs],
      cgroupsPath: `/berth/${c.id}`,
      maskedPaths: MASKED_PATHS,
      readonlyPaths: READONLY_PATHS,
      resources: { devices: [{ allow: false, access: 'rwm' }, ...DEFAULT_DEVICE_RULES], ...ociResources(c.hostConfig) },
    },
  };
}

// The devices Docker allows by default (null, zero, full, random, urandom, tty, console, ptmx, pts).
const DEFAULT_DEVICE_RULES = [
  { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 5, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 7, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 8, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 9, access: 'rwm' },
  { allow: true, type: 'c', major: 5, minor: 0, access: 'rwm' },
  { allow: true, type: 'c', major: 5, minor: 1, access: 'rwm' },
  { allow: true, type: 'c', major: 5, minor: 2, access: 'rwm' },
  { allow: true, type: 'c', major: 136, access: 'rwm' },
];
