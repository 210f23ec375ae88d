// GET /containers/{id}/json
import type { ContainerInspect } from '../api/types.js';
import type { ContainerRecord } from '../core/containers.js';
import { containerFiles } from './container-files.js';
import { getContainer } from './container-lookup.js';
import type { Daemon } from './daemon.js';
import { execIdsOf } from './exec-store.js';

export function containerInspect(d: Daemon, ref: string): ContainerInspect {
  return inspectRecord(d, getContainer(d, ref));
}

export function inspectRecord(d: Daemon, c: ContainerRecord): ContainerInspect {
  const f = containerFiles(d, c.id);
  return {
    Id: c.id,
    Created: c.created,
    Path: c.path,
    Args: c.args,
    State: c.state,
    Image: c.image,
    ResolvConfPath: f.resolvConf,
    HostnamePath: f.hostname,
    HostsPath: f.hosts,
    LogPath: f.log,
    Name: c.name,
    RestartCount: c.restartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: execIdsOf(d, c.id),
    HostConfig: c.hostConfig,
    GraphDriver: { Name: 'overlay2', Data: { MergedDir: f.rootfs } },
    Mounts: [],
    Config: c.config,
    NetworkSettings: {
      Bridge: '',
      SandboxID: '',
      SandboxKey: '',
      Ports: {},
      Gateway: '',
      IPAddress: '',
      IPPrefixLen: 0,
      MacAddress: '',
      Networks: c.hostConfig.NetworkMode === 'host' ? { host: {} } : { none: noneEndpoint() },
    },
  };
}

function noneEndpoint() {
  return {
    IPAMConfig: null,
    Links: null,
    Aliases: null,
    MacAddress: '',
    NetworkID: '',
    EndpointID: '',
    Gateway: '',
    IPAddress: '',
    IPPrefixLen: 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    DNSNames: null,
  };
}
