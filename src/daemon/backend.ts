// Binds every verb to one daemon, giving the server's routers their backends.
import { containerAttach } from './container-attach.js';
import { containerCreate } from './container-create.js';
import { containerDelete } from './container-delete.js';
import { containerInspect } from './container-inspect.js';
import { containerKill } from './container-kill.js';
import { containerList } from './container-list.js';
import { containerLogs } from './container-logs.js';
import { containerPrune } from './container-prune.js';
import { containerRename } from './container-rename.js';
import { containerResize } from './container-resize.js';
import { containerRestart } from './container-restart.js';
import { containerStart } from './container-start.js';
import { containerStop } from './container-stop.js';
import { containerWait } from './container-wait.js';
import type { Daemon } from './daemon.js';
import { imageDelete } from './image-delete.js';
import { imageHistory } from './image-history.js';
import { imageImport } from './image-import.js';
import { imageInspect } from './image-inspect.js';
import { imageList } from './image-list.js';
import { imagePrune } from './image-prune.js';
import { imageTag } from './image-tag.js';
import { systemDf } from './system-df.js';
import { systemInfo } from './system-info.js';
import { systemVersion } from './system-version.js';

type Bound<F> = F extends (d: Daemon, ...args: infer A) => infer R ? (...args: A) => R : never;

function bind<F extends (d: Daemon, ...args: never[]) => unknown>(d: Daemon, f: F): Bound<F> {
  return ((...args: never[]) => f(d, ...args)) as Bound<F>;
}

export function containerBackend(d: Daemon) {
  return {
    containerAttach: bind(d, containerAttach),
    containerCreate: bind(d, containerCreate),
    containerDelete: bind(d, containerDelete),
    containerInspect: bind(d, containerInspect),
    containerKill: bind(d, containerKill),
    containerList: bind(d, containerList),
    containerLogs: bind(d, containerLogs),
    containerPrune: bind(d, containerPrune),
    containerRename: bind(d, containerRename),
    containerResize: bind(d, containerResize),
    containerRestart: bind(d, containerRestart),
    containerStart: bind(d, containerStart),
    containerStop: bind(d, containerStop),
    containerWait: bind(d, containerWait),
  };
}

export function systemBackend(d: Daemon) {
  return { version: () => systemVersion(), info: () => systemInfo(d), df: () => systemDf(d) };
}

export function imageBackend(d: Daemon) {
  return {
    imageDelete: bind(d, imageDelete),
    imageHistory: bind(d, imageHistory),
    imageImport: bind(d, imageImport),
    imageInspect: bind(d, imageInspect),
    imageList: bind(d, imageList),
    imagePrune: bind(d, imagePrune),
    imageTag: bind(d, imageTag),
  };
}
