// Where the conmon runtime keeps its state under the exec root.
import path from 'node:path';

export class RuntimePaths {
  constructor(readonly execRoot: string) {}
  get exitDir() { return path.join(this.execRoot, 'exits'); }
  get socketDir() { return path.join(this.execRoot, 'socks'); }
  runtimeRoot(runtime: string) { return path.join(this.execRoot, runtime); }
  persistDir(id: string) { return path.join(this.execRoot, 'conmon', id); }
  conmonPidFile(id: string) { return path.join(this.persistDir(id), 'conmon.pid'); }
  containerPidFile(id: string) { return path.join(this.persistDir(id), 'pid'); }
  /** conmon's attach socket (SOCK_SEQPACKET); <socketDir>/<id> links to the bundle. */
  attachSocket(id: string) { return path.join(this.socketDir, id, 'attach'); }
  /** conmon's control fifo, in the bundle (reached through the same link). */
  ctlFifo(id: string) { return path.join(this.socketDir, id, 'ctl'); }
  oomFile(id: string) { return path.join(this.persistDir(id), 'oom'); }
  /** Exec sessions: one directory each (conmon's bundle: process.json, pid, attach, ctl), gone after the exec. */
  get execsDir() { return path.join(this.execRoot, 'execs'); }
  execDir(execId: string) { return path.join(this.execsDir, execId); }
}
