// Rotates the logs of running containers, as Docker's json-file does: once `<log>` holds max-size bytes,
// `<log>.(N-2)` → `<log>.(N-1)` … `<log>` → `<log>.1` (the oldest is dropped), then conmon is asked to
// reopen its log (it creates a new `<log>`; until then it writes on into `<log>.1`).
//
// conmon's own --log-size-max (the policy's backstop) may also replace `<log>` with an empty file: it counts
// bytes since it last did so, which our reopen does not reset. So the current file always has a second
// name, `<log>.live`; when `<log>` is no longer that file, the `.live` one is kept as `<log>.1`.
//
// Cost: nothing on start beyond a timer; a container that lives 10 ms is never looked at. An idle log
// is watched with inotify (on its directory, which survives rotations); a growing one is checked on a
// timer timed from its growth rate, so a chatty container wakes berthd some tens of times a second, not per write.
import { closeSync, linkSync, openSync, renameSync, rmSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { logPolicy, type LogPolicy } from '../core/log-options.js';
import { containerFiles } from './container-files.js';
import type { Daemon } from './daemon.js';
import { liveName, nextName, removeLogFiles, rotatedName, statQuiet } from './log-files.js';

/**
 * A container started this long ago is looked at; shorter-lived ones (`run --rm … true`) never are. One
 * that writes more than max-size sooner gets a first file that large (conmon's backstop still bounds it).
 */
const SETTLE_MS = 10;
const MIN_CHECK_MS = 1;
/** Roughly how long a rotation takes to land (timer lateness plus conmon's reopen), in milliseconds. */
const LEAD_MS = 2;
/** Also the bound on how late a burst after a quiet spell is noticed (see backstopFor). */
const MAX_CHECK_MS = 50;
/** `none` logs are deleted this long after the container stops (attaches still draining keep their files open). */
const NONE_CLEANUP_MS = 2000;

interface Watched {
  id: string;
  log: string;
  policy: LogPolicy;
  timer?: NodeJS.Timeout;
  watcher?: FSWatcher;
  lastSize: number;
  lastTime: number;
  /** Bytes per millisecond seen lately (kept across rotations). */
  rate: number;
}

export class LogRotator {
  private readonly watched = new Map<string, Watched>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly cleanups = new Map<string, NodeJS.Timeout>();
  private unsubscribe?: () => void;
  /** Rotations done (for tests and diagnostics). */
  rotations = 0;

  constructor(private readonly d: Daemon) {}

  /** Follows container starts and stops from now on. */
  listen(): void {
    this.unsubscribe ??= this.d.events.subscribe((e) => {
      if (e.Type !== 'container') return;
      const id = e.Actor.ID;
      if (e.Action === 'start') this.started(id);
      else if (e.Action === 'die') this.stopped(id);
      else if (e.Action === 'destroy') this.forget(id);
    });
  }

  /** After a daemon restart: takes on every running container, and clears `none` logs left behind. */
  adoptRunning(): void {
    for (const c of this.d.containers.list()) {
      if (c.state.Running && !c.state.Restarting) this.watch(c.id);
      else if (this.policyOf(c.id)?.driver === 'none') void removeLogFiles(containerFiles(this.d, c.id).log).catch(() => {});
    }
  }

  close(): void {
    this.unsubscribe?.();
    for (const id of [...this.watched.keys(), ...this.pending.keys(), ...this.cleanups.keys()]) this.forget(id);
  }

  private started(id: string): void {
    this.forget(id);
    const t = setTimeout(() => {
      this.pending.delete(id);
      this.watch(id);
    }, SETTLE_MS);
    t.unref();
    this.pending.set(id, t);
  }

  private stopped(id: string): void {
    const watched = this.watched.get(id);
    const policy = watched?.policy ?? this.policyOf(id);
    this.forget(id);
    const log = containerFiles(this.d, id).log;
    if (policy?.driver !== 'none') {
      // Only a container looked at can have been rotated (nothing to do for a short-lived one). A rotation
      // just before the exit leaves no `<log>` (conmon never reopened): the file made ready for it becomes
      // `<log>`, so LogPath names a file, as in Docker, and the next conmon appends to it.
      if (!watched) return;
      if (!statQuiet(log)) {
        closeQuietly(() => (statQuiet(liveName(log)) ? renameSync(liveName(log), log) : closeSync(openSync(log, 'a', 0o600))));
      }
      rmSync(nextName(log), { force: true });
      return;
    }
    const t = setTimeout(() => {
      this.cleanups.delete(id);
      void removeLogFiles(log).catch(() => {});
    }, NONE_CLEANUP_MS);
    t.unref();
    this.cleanups.set(id, t);
  }

  private forget(id: string): void {
    clearTimeout(this.pending.get(id));
    this.pending.delete(id);
    clearTimeout(this.cleanups.get(id));
    this.cleanups.delete(id);
    const w = this.watched.get(id);
    if (!w) return;
    clearTimeout(w.timer);
    w.watcher?.close();
    this.watched.delete(id);
  }

  private policyOf(id: string): LogPolicy | undefined {
    const c = this.d.containers.get(id);
    if (!c) return undefined;
    try {
      return logPolicy(c.hostConfig.LogConfig);
    } catch {
      return logPolicy(undefined); // stored before validation existed
    }
  }

  private watch(id: string): void {
    const policy = this.policyOf(id);
    if (!policy || this.watched.has(id)) return;
    const w: Watched = { id, log: containerFiles(this.d, id).log, policy, lastSize: 0, lastTime: Date.now(), rate: 0 };
    this.watched.set(id, w);
    // A previous berthd rotated and died before conmon reopened: ask again.
    if (!statQuiet(w.log)) void this.d.runtime.reopenLog(id).catch(() => {});
    this.check(w, true);
  }

  /** Looks at the log once, rotates if due, and decides when to look again. */
  private check(w: Watched, woken = false): void {
    if (this.watched.get(w.id) !== w) return;
    w.timer = undefined;
    let size = 0;
    let reopened = false;
    try {
      size = this.step(w);
      reopened = size < 0;
      size = Math.max(size, 0);
    } catch {
      // A rename racing conmon, or the directory going away: look again at the next change there.
      size = w.lastSize;
      reopened = false;
    }
    const now = Date.now();
    const grown = size - w.lastSize;
    const elapsed = Math.max(now - w.lastTime, 1);
    const fresh = woken || reopened || grown < 0;
    w.lastSize = size;
    w.lastTime = now;
    if (!fresh && grown === 0) {
      this.arm(w);
      return;
    }
    // A new file, or the first write after a quiet spell: measure the rate from here, soon. Right after
    // asking conmon to reopen, this also gives the new file its `.live` name before anything can replace it.
    let delay = MIN_CHECK_MS;
    if (!fresh) {
      // Growing: look again about halfway to max-size. The rate rises at once and falls off slowly, so a
      // pause in the output does not make the next look late.
      w.rate = Math.max(grown / elapsed, w.rate / 2);
      delay = (w.policy.maxSize - size) / w.rate / 2;
    }
    w.timer = setTimeout(() => this.check(w), Math.min(MAX_CHECK_MS, Math.max(MIN_CHECK_MS, delay)));
    w.timer.unref();
  }

  /** Idle: wait for the next write (or conmon's reopen) in the log's directory. */
  private arm(w: Watched): void {
    if (w.watcher) return;
    try {
      w.watcher = watch(path.dirname(w.log), { persistent: false }, () => {
        w.watcher?.close();
        w.watcher = undefined;
        if (!w.timer) {
          w.timer = setTimeout(() => this.check(w, true), MIN_CHECK_MS);
          w.timer.unref();
        }
      });
      w.watcher.on('error', () => {
        w.watcher?.close();
        w.watcher = undefined;
      });
    } catch {
      // the directory is gone (container removed)
    }
  }

  /**
   * One look: keep a file conmon replaced, name the current file `.live`, rotate a full one.
   * Returns the current file's size, or -1 when it was just rotated (conmon is reopening).
   */
  private step(w: Watched): number {
    const { log } = w;
    const live = liveName(log);
    const cur = statQuiet(log);
    if (!cur) return 0; // between a rotation and conmon's reopen
    let held = statQuiet(live);
    if (held && held.ino !== cur.ino) {
      const tmp = statQuiet(nextName(log));
      if (tmp?.ino === held.ino && held.size === 0) {
        // conmon reopened without taking the file made ready for it: drop that empty file.
        rmSync(nextName(log), { force: true });
        rmSync(live, { force: true });
      } else if (statQuiet(rotatedName(log, 1))?.ino === held.ino) {
        rmSync(live, { force: true });
      } else {
        // conmon replaced the file on its own (its backstop): keep it as the newest rotated one.
        this.keep(w, live);
        this.rotations++;
      }
      held = undefined;
    }
    if (!held) linkQuiet(log, live);
    // Due a little early when the output is fast (conmon writes on into the renamed file until it reopens),
    // but never below three quarters of max-size.
    const max = w.policy.maxSize;
    if (cur.size < max && (cur.size < max * 0.75 || cur.size + w.rate * LEAD_MS < max)) return cur.size;
    rmSync(live, { force: true });
    this.keep(w, log);
    this.rotations++;
    prepareNext(log);
    // conmon reopens at once; if it is gone (the container just stopped), `stopped` tidies up.
    void this.d.runtime.reopenLog(w.id).catch(() => {});
    return -1;
  }

  /** Shifts the rotated files up by one and makes `file` the new `.1` (or drops it when only one file is kept). */
  private keep(w: Watched, file: string): void {
    const { log, policy } = w;
    if (policy.maxFile < 2) {
      rmSync(file, { force: true });
      return;
    }
    for (let n = policy.maxFile - 2; n >= 1; n--) renameQuiet(rotatedName(log, n), rotatedName(log, n + 1));
    renameSync(file, rotatedName(log, 1));
  }
}

/**
 * conmon 2.1 reopens by creating `<log>.tmp` (O_TRUNC) and renaming it over `<log>`. An empty file made
 * ready under that name, already named `.live`, is the one it takes: there is no moment when the new
 * current file has a single name (which conmon's backstop could replace before berthd links it).
 */
function prepareNext(log: string): void {
  try {
    rmSync(nextName(log), { force: true });
    closeSync(openSync(liveName(log), 'wx', 0o600));
    linkSync(liveName(log), nextName(log));
  } catch {
    // conmon then creates the file itself; the next look names it
  }
}

function renameQuiet(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function closeQuietly(fn: () => void): void {
  try {
    fn();
  } catch {
    // the container's directory is gone
  }
}

function linkQuiet(from: string, to: string): void {
  try {
    rmSync(to, { force: true });
    linkSync(from, to);
  } catch {
    // conmon replaced the file meanwhile: the next look links the new one
  }
}
