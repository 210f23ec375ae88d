// Runtime over conmon + runc. conmon keeps the container alive and records its
// exit code in <exec-root>/exits/<id>, which we watch with inotify.
import { existsSync, openSync, closeSync, writeSync, constants as fsc, mkdirSync, promises as fs, readFileSync, readlinkSync, rmSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { CreateTaskOptions, ExecTask, ExecTaskOptions, ExitEvent, Runtime, TaskState } from '../../core/runtime.js';
import { BerthError, internal } from '../../errdefs/errors.js';
import { ConmonError, startConmon } from '../../host/conmon.js';
import { startConmonExec } from '../../host/conmon-exec.js';
import { SeqpacketSocket } from '../../host/seqpacket.js';
import { startViaExecFifo } from '../../host/exec-fifo.js';
import { cgroupOomKilled } from '../../host/oom.js';
import { runRuntime, runtimeBinary } from '../../host/runc.js';
import { signalContainerInit } from '../../host/signal-container.js';
import { RuntimePaths } from './paths.js';

export class ConmonRuntime implements Runtime {
  private readonly paths: RuntimePaths;
  private readonly listeners: Array<(e: ExitEvent) => void> = [];
  private readonly createdListeners: Array<(id: string) => void> = [];
  private watcher?: FSWatcher;
  /** Which runtime binary each container was created with. */
  private readonly runtimes = new Map<string, string>();
  private readonly reported = new Set<string>();
  /** Background `runc delete`s after exits, so they stay off the hot path. */
  private readonly releasing = new Map<string, Promise<void>>();

  constructor(execRoot: string, private readonly defaultRuntime = 'runc') {
    this.paths = new RuntimePaths(execRoot);
  }

  async init(): Promise<void> {
    await fs.mkdir(this.paths.exitDir, { recursive: true });
    await fs.mkdir(this.paths.socketDir, { recursive: true });
    await this.sweepExecs();
    this.watcher = watch(this.paths.exitDir, (_event, file) => {
      if (file) void this.reportExit(file.toString());
    });
  }

  close(): void {
    this.watcher?.close();
  }

  onExit(listener: (e: ExitEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Lets the runtime know which binary an adopted container uses. */
  adopt(id: string, runtime: string): void {
    this.runtimes.set(id, runtime);
  }

  async create(o: CreateTaskOptions): Promise<number> {
    await this.releasing.get(o.id);
    const runtime = o.runtime ?? this.defaultRuntime;
    this.runtimes.set(o.id, runtime);
    this.reported.delete(o.id);
    // Tiny files on the hot path: direct calls cost microseconds, thread-pool hops milliseconds.
    rmSync(path.join(this.paths.exitDir, o.id), { force: true });
    mkdirSync(this.paths.persistDir(o.id), { recursive: true });
    writeFileSync(path.join(o.bundle, 'config.json'), JSON.stringify(o.spec));
    let pid: number;
    try {
      pid = await startConmon({
        id: o.id,
        name: o.id,
        bundle: o.bundle,
        runtimePath: runtimeBinary(runtime),
        runtimeRoot: this.paths.runtimeRoot(runtime),
        exitDir: this.paths.exitDir,
        socketDir: this.paths.socketDir,
        persistDir: this.paths.persistDir(o.id),
        logPath: o.logPath,
        logMaxSize: o.logMaxSize,
        conmonPidFile: this.paths.conmonPidFile(o.id),
        containerPidFile: this.paths.containerPidFile(o.id),
        terminal: o.terminal,
        stdin: o.stdin,
        stdinOnce: o.stdinOnce,
      });
    } catch (err) {
      // runc create failed: make sure nothing of it remains.
      await this.delete(o.id, true).catch(() => {});
      await fs.rm(path.join(this.paths.exitDir, o.id), { force: true });
      this.reported.add(o.id);
      if (err instanceof ConmonError) throw new BerthError('InvalidArgument', runtimeCreateMessage(err.message));
      throw internal(`starting conmon: ${(err as Error).message}`, err);
    }
    for (const l of this.createdListeners) l(o.id);
    return pid;
  }

  async exec(o: ExecTaskOptions): Promise<ExecTask> {
    const runtime = this.runtimes.get(o.containerId) ?? this.defaultRuntime;
    const dir = this.paths.execDir(o.execId);
    const processSpec = path.join(dir, 'process.json');
    try {
      // Synchronous on purpose: two tiny writes on the hot path.
      mkdirSync(dir, { recursive: true });
      writeFileSync(processSpec, JSON.stringify({ ...o.process, terminal: o.terminal }));
    } catch (err) {
      await this.removeExecFiles(o.execId);
      throw internal(`preparing exec ${o.execId}: ${(err as Error).message}`, err);
    }
    let io: SeqpacketSocket | undefined;
    const c = startConmonExec(
      {
        containerId: o.containerId,
        execId: o.execId,
        runtimePath: runtimeBinary(runtime),
        runtimeRoot: this.paths.runtimeRoot(runtime),
        dir,
        processSpec,
        pidFile: path.join(dir, 'pid'),
        socketDir: this.paths.socketDir,
        terminal: o.terminal,
        stdin: o.stdin,
        attach: o.attach,
      },
      () => (io = new SeqpacketSocket(this.paths.attachSocket(o.execId))),
    );
    // The exec's files (and conmon's link to them) go once conmon is gone.
    const removed = c.gone.then(() => this.removeExecFiles(o.execId));
    try {
      const pid = await c.pid;
      return { pid, io, exited: c.exitCode };
    } catch (err) {
      io?.destroy();
      await removed;
      if (err instanceof ConmonError) throw internal(runtimeExecMessage(err.message), err);
      throw internal(`starting conmon: ${(err as Error).message}`, err);
    }
  }

  private removeExecFiles(execId: string): Promise<void> {
    return Promise.all([
      fs.rm(this.paths.execDir(execId), { recursive: true, force: true }),
      fs.rm(path.join(this.paths.socketDir, execId), { force: true }),
    ]).then(() => undefined, () => undefined);
  }

  /** Exec sessions do not outlive berthd (as in Docker): drop what a crash left behind. */
  private async sweepExecs(): Promise<void> {
    await fs.rm(this.paths.execsDir, { recursive: true, force: true });
    for (const name of await fs.readdir(this.paths.socketDir).catch(() => [] as string[])) {
      const link = path.join(this.paths.socketDir, name);
      let target = '';
      try {
        target = readlinkSync(link);
      } catch {
        continue;
      }
      if (target.startsWith(`${this.paths.execsDir}/`)) await fs.rm(link, { force: true });
    }
  }

  onCreated(listener: (id: string) => void): void {
    this.createdListeners.push(listener);
  }

  attach(id: string): SeqpacketSocket {
    return new SeqpacketSocket(this.paths.attachSocket(id));
  }

  async resize(id: string, height: number, width: number): Promise<void> {
    // conmon's control fifo: "<type> <height> <width>\n", type 1 = window resize.
    this.control(id, `1 ${height} ${width}\n`, 'resizing');
  }

  async reopenLog(id: string): Promise<void> {
    // Type 2 = reopen the log file, as CRI-O asks after rotating it.
    this.control(id, '2 0 0\n', 'reopening the log of');
  }

  private control(id: string, message: string, what: string): void {
    let fd: number;
    try {
      fd = openSync(this.paths.ctlFifo(id), fsc.O_WRONLY | fsc.O_NONBLOCK);
    } catch (err) {
      throw internal(`${what} ${id}: ${(err as Error).message}`, err);
    }
    try {
      writeSync(fd, message);
    } finally {
      closeSync(fd);
    }
  }

  async start(id: string, pid?: number): Promise<void> {
    const runtime = this.runtimes.get(id) ?? this.defaultRuntime;
    const stateDir = path.join(this.paths.runtimeRoot(runtime), id);
    if (pid && (await startViaExecFifo(stateDir, pid))) return;
    await this.run(id, ['start', id]);
  }

  async kill(id: string, signal: number): Promise<void> {
    if (signalContainerInit(this.paths.containerPidFile(id), id, signal)) return;
    await this.run(id, ['kill', id, String(signal)]);
  }

  async pause(id: string): Promise<void> {
    await this.run(id, ['pause', id]);
  }

  async resume(id: string): Promise<void> {
    await this.run(id, ['resume', id]);
  }

  async update(id: string, resources: Record<string, unknown>): Promise<void> {
    const file = path.join(this.paths.persistDir(id), 'resources.json');
    writeFileSync(file, JSON.stringify(resources));
    await this.run(id, ['update', '--resources', file, id]);
  }

  async delete(id: string, force = false): Promise<void> {
    try {
      await this.run(id, force ? ['delete', '--force', id] : ['delete', id]);
    } catch (err) {
      if (!/does not exist|not exist/.test((err as Error).message)) throw err;
    }
    await fs.rm(this.paths.persistDir(id), { recursive: true, force: true });
    await fs.rm(path.join(this.paths.socketDir, id), { recursive: true, force: true });
  }

  async state(id: string): Promise<TaskState | undefined> {
    try {
      const { stdout } = await this.run(id, ['state', id]);
      const s = JSON.parse(stdout) as { status: TaskState['status']; pid: number };
      return { status: s.status, pid: s.pid };
    } catch {
      return undefined;
    }
  }

  async exitStatus(id: string): Promise<ExitEvent | undefined> {
    const file = path.join(this.paths.exitDir, id);
    let text: string;
    let mtime: Date;
    try {
      text = readFileSync(file, 'utf8');
      mtime = statSync(file).mtime;
    } catch {
      return undefined;
    }
    if (text.trim() === '') return undefined; // conmon is still writing it
    // conmon can write the exit file before its oom marker; the cgroup's oom_kill counter is set first.
    const oomKilled = existsSync(this.paths.oomFile(id)) || cgroupOomKilled(`/berth/${id}`);
    return { id, exitCode: Number.parseInt(text.trim(), 10), exitedAt: mtime, oomKilled };
  }

  /** Waits for the background cleanups still running (before a clean shutdown). */
  async drain(): Promise<void> {
    await Promise.all([...this.releasing.values()]);
  }

  release(id: string): void {
    if (this.releasing.has(id)) return;
    const done = (async () => {
      await this.delete(id, true).catch(() => {});
      // The exit file goes last: until then a restarted daemon can still see the exit.
      await fs.rm(path.join(this.paths.exitDir, id), { force: true });
    })().finally(() => this.releasing.delete(id));
    this.releasing.set(id, done);
  }

  async sweep(running: ReadonlySet<string>): Promise<void> {
    for (const runtime of ['runc', 'crun']) {
      const root = this.paths.runtimeRoot(runtime);
      const ids = await fs.readdir(root).catch(() => [] as string[]);
      for (const id of ids) {
        if (running.has(id) || this.releasing.has(id)) continue;
        this.runtimes.set(id, runtime);
        await this.delete(id, true).catch(() => {});
      }
    }
    for (const id of await fs.readdir(this.paths.exitDir).catch(() => [] as string[])) {
      if (!running.has(id) && !this.releasing.has(id)) await fs.rm(path.join(this.paths.exitDir, id), { force: true });
    }
  }

  private async reportExit(id: string): Promise<void> {
    if (this.reported.has(id)) return;
    const e = await this.exitStatus(id);
    if (!e || this.reported.has(id)) return;
    this.reported.add(id);
    for (const l of this.listeners) l(e);
  }

  private run(id: string, args: string[]) {
    const runtime = this.runtimes.get(id) ?? this.defaultRuntime;
    return runRuntime(runtime, this.paths.runtimeRoot(runtime), args);
  }
}

/** Docker's wording for a failed `runc exec`. */
export function runtimeExecMessage(conmonMessage: string): string {
  return `OCI runtime exec failed: ${runtimeErrorText(conmonMessage)}: unknown`;
}

/** The runtime's own message: the msg="..." of its log line, else the text as is. */
function runtimeErrorText(conmonMessage: string): string {
  const m = /msg="((?:[^"\\]|\\.)*)"/.exec(conmonMessage);
  return m ? m[1].replace(/\\"/g, '"').replace(/\\\\/g, '\\') : conmonMessage.trim();
}

/** Docker's wording for a failed `runc create`, which clients match on. */
export function runtimeCreateMessage(conmonMessage: string): string {
  return `failed to create shim task: OCI runtime create failed: ${runtimeErrorText(conmonMessage)}: unknown`;
}
