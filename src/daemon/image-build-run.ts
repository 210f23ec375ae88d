// The containers RUN steps run in: created from the step's parent image with the step's config, given
// their cache mounts (bind mounts of persistent directories, placed under the container's root before it
// starts, which runc's recursive root bind carries into the container) and heredoc scripts, run with their
// output streamed from the log, and cleaned of those stubs before their changes are committed.
import { createHash } from 'node:crypto';
import { promises as fs, lstatSync, mkdirSync, rmdirSync, readdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { CacheMount, OutputStream, RunContainerRequest } from '../builder/dispatch/backend.js';
import { isMounted, mountAll, unmount } from '../host/mount.js';
import { MS_BIND, MS_RDONLY, MS_REC, native } from '../host/native.js';
import { containerCreate } from './container-create.js';
import { containerDelete } from './container-delete.js';
import { nextEvent } from './container-events.js';
import { containerFiles } from './container-files.js';
import { containerKill } from './container-kill.js';
import { resolveInRoot } from './container-root-resolve.js';
import { overlayDirs } from './container-rootfs.js';
import { containerStart } from './container-start.js';
import type { Daemon } from './daemon.js';
import { builderPaths } from './image-build-paths.js';
import { readLog } from './log-reader.js';

interface RunState {
  /** Paths (inside the container) this build created only to mount on or to hold a script. */
  stubs: string[];
  files: string[];
  binds: string[];
  lockedIds: string[];
}

export class BuildContainers {
  private readonly states = new Map<string, RunState>();

  constructor(private readonly d: Daemon) {}

  async create(req: RunContainerRequest): Promise<string> {
    if (req.image === '') throw new Error('exec: "/bin/sh": stat /bin/sh: no such file or directory (the stage has no base image)');
    const hostConfig = { ...req.resources, NetworkMode: req.network === 'default' ? 'none' : req.network, Tmpfs: req.tmpfs };
    const { Id: id } = await containerCreate(this.d, { ...req.config, Image: req.image, HostConfig: hostConfig });
    const state: RunState = { stubs: [], files: [], binds: [], lockedIds: [] };
    this.states.set(id, state);
    if (req.cacheMounts.length === 0 && Object.keys(req.files).length === 0) return id;
    try {
      const rootfs = containerFiles(this.d, id).rootfs;
      await fs.mkdir(rootfs, { recursive: true });
      if (!isMounted(rootfs)) mountAll(await this.d.snapshots.mounts(id), rootfs);
      for (const [target, f] of Object.entries(req.files)) {
        const host = this.stub(rootfs, path.posix.dirname(target), state);
        const file = path.join(host, path.posix.basename(target));
        await fs.writeFile(file, f.data, { mode: f.mode });
        state.files.push(target);
      }
      for (const m of req.cacheMounts) await this.bindCache(rootfs, m, state);
    } catch (err) {
      await this.remove(id).catch(() => {});
      throw err;
    }
    return id;
  }

  /** Makes `dir` (and missing parents) under the root, remembering the ones we made. */
  private stub(rootfs: string, dir: string, state: RunState): string {
    let cur = '';
    for (const part of dir.split('/').filter(Boolean)) {
      cur = `${cur}/${part}`;
      const host = resolveInRoot(rootfs, cur);
      try {
        lstatSync(host);
      } catch {
        mkdirSync(host, 0o755);
        state.stubs.push(cur);
      }
    }
    return resolveInRoot(rootfs, dir);
  }

  private async bindCache(rootfs: string, m: CacheMount, state: RunState): Promise<void> {
    const base = builderPaths(this.d).cacheMounts;
    await fs.mkdir(base, { recursive: true, mode: 0o700 });
    const source = path.join(base, createHash('sha256').update(m.id).digest('hex'));
    try {
      await fs.mkdir(source, { mode: m.mode });
      await fs.chown(source, m.uid, m.gid);
      await fs.chmod(source, m.mode);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const target = this.stub(rootfs, m.target, state);
    native().mount(source, target, null, MS_BIND | MS_REC, null);
    state.binds.push(target);
    if (m.readOnly) native().mount(null, target, null, MS_BIND | MS_REC | MS_RDONLY | 0x20 /* MS_REMOUNT */, null);
    if (m.sharing === 'locked') state.lockedIds.push(m.id);
  }

  /** Starts the container and streams its output until it exits; resolves with the exit code. */
  async run(id: string, onOutput: (stream: OutputStream, chunk: Buffer) => void, signal?: AbortSignal): Promise<number> {
    const locked = this.states.get(id)?.lockedIds ?? [];
    const go = async (): Promise<number> => {
      const died = nextEvent(this.d, id, ['die']);
      const onAbort = () => void containerKill(this.d, id, 'SIGKILL').catch(() => {});
      signal?.addEventListener('abort', onAbort);
      try {
        await containerStart(this.d, id);
        // The log splits a line written in pieces ("+ " then "echo x\n" from sh -x): a piece waits (briefly)
        // for the rest of its line, so the output reads as the writes Docker's attach would deliver.
        const pending: Record<OutputStream, string> = { stdout: '', stderr: '' };
        const timers: Partial<Record<OutputStream, NodeJS.Timeout>> = {};
        const flush = (stream: OutputStream) => {
          clearTimeout(timers[stream]);
          if (pending[stream] !== '') onOutput(stream, Buffer.from(pending[stream], 'latin1'));
          pending[stream] = '';
        };
        for await (const e of readLog(containerFiles(this.d, id).log, { follow: true, stopped: died.promise })) {
          pending[e.stream] += e.partial ? e.text : `${e.text}\n`;
          if (!e.partial) flush(e.stream);
          else {
            clearTimeout(timers[e.stream]);
            timers[e.stream] = setTimeout(() => flush(e.stream), 50);
          }
        }
        flush('stdout');
        flush('stderr');
        const ev = await died.promise;
        return Number(ev.Actor.Attributes.exitCode);
      } finally {
        died.cancel();
        signal?.removeEventListener('abort', onAbort);
      }
    };
    return locked.reduce<() => Promise<number>>((fn, key) => () => this.d.lock(`build-cache-mount:${key}`, fn), go)();
  }

  /** The stopped container's upper directory, with our stubs and scripts taken out again. */
  async upperForCommit(id: string): Promise<{ upper: string; lowers: string[] }> {
    const state = this.states.get(id);
    this.unbind(state);
    const { upper, lowers } = await overlayDirs(this.d, id);
    if (state) {
      for (const f of state.files) tryRm(() => unlinkSync(path.join(upper, f)));
      for (const dir of [...state.stubs].reverse()) {
        const host = path.join(upper, dir);
        tryRm(() => readdirSync(host).length === 0 && rmdirSync(host));
      }
    }
    return { upper, lowers };
  }

  async remove(id: string): Promise<void> {
    this.unbind(this.states.get(id));
    this.states.delete(id);
    await containerDelete(this.d, id, { force: true });
  }

  private unbind(state: RunState | undefined): void {
    for (const target of (state?.binds ?? []).reverse()) unmount(target);
    if (state) state.binds = [];
  }
}

function tryRm(fn: () => unknown): void {
  try {
    fn();
  } catch {
    // already gone, or not ours to remove
  }
}
