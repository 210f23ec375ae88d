// Binds the exec verbs to one daemon: create, start (detached or attached), resize, inspect.
import type { ExecCreateRequest } from '../api/types.js';
import type { ConsoleSize } from '../core/exec-config.js';
import type { Daemon } from './daemon.js';
import { execCreate } from './exec-create.js';
import { execInspect } from './exec-inspect.js';
import { execResize } from './exec-resize.js';
import { execStartAttached, execStartCheck, execStartDetached, type ExecAttachOptions } from './exec-start.js';

export function execBackend(d: Daemon) {
  return {
    execCreate: (ref: string, req: ExecCreateRequest) => execCreate(d, ref, req),
    execInspect: (id: string) => execInspect(d, id),
    execStartCheck: (id: string) => execStartCheck(d, id),
    execStartDetached: (id: string, consoleSize?: ConsoleSize) => execStartDetached(d, id, consoleSize),
    execStartAttached: (id: string, o: ExecAttachOptions) => execStartAttached(d, id, o),
    execResize: (id: string, height: number, width: number) => execResize(d, id, height, width),
  };
}
