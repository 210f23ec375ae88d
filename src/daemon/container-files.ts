// The files each container owns inside its directory.
import path from 'node:path';
import type { Daemon } from './daemon.js';

export interface ContainerFiles {
  dir: string;
  bundle: string;
  rootfs: string;
  hostname: string;
  hosts: string;
  resolvConf: string;
  log: string;
}

export function containerFiles(d: Daemon, id: string): ContainerFiles {
  const dir = d.containers.dir(id);
  const bundle = path.join(dir, 'bundle');
  return {
    dir,
    bundle,
    rootfs: path.join(bundle, 'rootfs'),
    hostname: path.join(dir, 'hostname'),
    hosts: path.join(dir, 'hosts'),
    resolvConf: path.join(dir, 'resolv.conf'),
    log: path.join(dir, 'container.log'),
  };
}
