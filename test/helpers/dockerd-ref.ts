// The reference Docker Engine (Debian's docker.io, dockerd 20.10) for differential tests: the same scenario
// against berthd and against dockerd. Same paths and flags as scripts/dockerd-ref.sh, so the two can be
// mixed: a dockerd already running (started by the script) is reused and left running.
//
//   const ref = await startReferenceDockerd();
//   after(() => ref.stop());
//   await runDocker(['run', '--rm', 'busybox', 'true'], { socket: ref.socket });
//
// No bridge and no iptables: containers get only loopback (or --network host), and the host firewall is
// left alone. dockerd starts its own containerd under the exec root.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { importBusybox, ping, unmountUnder } from './daemon.js';

export const REF_SOCKET = '/run/docker-ref.sock';
export const REF_PIDFILE = '/run/docker-ref.pid';
export const REF_EXEC_ROOT = '/run/docker-ref';
export const REF_DATA_ROOT = '/var/lib/docker-ref';
export const REF_LOG = '/var/log/docker-ref.log';
const CONTAINERD_PIDFILE = path.join(REF_EXEC_ROOT, 'containerd', 'containerd.pid');
const CONTAINERD_SOCKET = path.join(REF_EXEC_ROOT, 'containerd', 'containerd.sock');
const DOCKERD_CANDIDATES = ['/usr/sbin/dockerd', '/usr/bin/dockerd'];

export interface ReferenceDockerd {
  socket: string;
  /** `unix://<socket>`, for DOCKER_HOST. */
  host: string;
  /** False when a dockerd was already running: stop() then leaves it alone. */
  started: boolean;
  /** Stops dockerd (and its containerd and shims) if this call started it; unmounts leftovers. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The pid in `pidfile` if that process is alive and its executable is named `exe`. */
function livePid(pidfile: string, exe: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidfile, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    return path.basename(readlinkSync(`/proc/${pid}/exe`)) === exe ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL and wait a little more. */
async function stopPid(pid: number, graceMs: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (const deadline = Date.now() + graceMs; Date.now() < deadline; await sleep(100)) {
    if (!alive(pid)) return;
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
}

function logTail(lines = 30): string {
  try {
    return readFileSync(REF_LOG, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts (or reuses) the reference dockerd on /run/docker-ref.sock, waits for /_ping, and makes sure it has
 * the same busybox:latest as berth (imported from the same deterministic rootfs tar).
 */
export async function startReferenceDockerd(opts: { timeoutMs?: number } = {}): Promise<ReferenceDockerd> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  let started = false;
  let pid = livePid(REF_PIDFILE, 'dockerd');

  if (!(await ping(REF_SOCKET))) {
    if (pid === undefined) {
      const dockerd = DOCKERD_CANDIDATES.find((p) => existsSync(p));
      if (!dockerd) throw new Error('dockerd not found: apt-get install docker.io (scripts/install.sh does)');
      mkdirSync(REF_DATA_ROOT, { recursive: true });
      mkdirSync(REF_EXEC_ROOT, { recursive: true });
      mkdirSync(path.dirname(REF_LOG), { recursive: true });
      rmSync(REF_SOCKET, { force: true });
      rmSync(REF_PIDFILE, { force: true });
      const fd = openSync(REF_LOG, 'a');
      try {
        // Its own network namespace (unshare execs dockerd, so the pid is dockerd's): with
        // --bridge none, dockerd deletes a host's docker0 at start-up, and nothing of its
        // networking may touch the machine. The namespace goes away with dockerd.
        const child = spawn(
          'unshare',
          [
            '--net',
            '--',
            dockerd,
            '--data-root', REF_DATA_ROOT,
            '-H', `unix://${REF_SOCKET}`,
            '--pidfile', REF_PIDFILE,
            '--exec-root', REF_EXEC_ROOT,
            '--bridge', 'none',
            '--iptables=false',
            '--ip6tables=false',
          ],
          // Own session: a Ctrl-C of the test run does not cut dockerd's shutdown short.
          { stdio: ['ignore', fd, fd], detached: true },
        );
        child.unref();
        pid = child.pid;
        started = true;
      } finally {
        closeSync(fd);
      }
    }
    const deadline = Date.now() + timeoutMs;
    let up = false;
    while (Date.now() < deadline) {
      if (await ping(REF_SOCKET)) {
        up = true;
        break;
      }
      if (pid === undefined || !alive(pid)) break;
      await sleep(100);
    }
    if (!up) {
      if (started && pid !== undefined && alive(pid)) await stopPid(pid, 10_000);
      throw new Error(`reference dockerd did not start (${REF_LOG}):\n${logTail()}`);
    }
  }

  try {
    await importBusybox(REF_SOCKET);
  } catch (err) {
    if (started) await stopReferenceDockerd();
    throw err;
  }

  let stopped = false;
  return {
    socket: REF_SOCKET,
    host: `unix://${REF_SOCKET}`,
    started,
    async stop() {
      if (stopped || !started) return;
      stopped = true;
      await stopReferenceDockerd();
    },
  };
}

/**
 * Stops the reference dockerd by its pid file, then its containerd by its pid file, then any shim of that
 * containerd, and unmounts whatever is left under its data and exec roots.
 */
export async function stopReferenceDockerd(): Promise<void> {
  const dockerd = livePid(REF_PIDFILE, 'dockerd');
  const containerd = livePid(CONTAINERD_PIDFILE, 'containerd');
  // dockerd stops running containers first (up to 15 s by default), then its containerd.
  if (dockerd !== undefined) await stopPid(dockerd, 30_000);
  if (containerd !== undefined && alive(containerd)) await stopPid(containerd, 10_000);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (path.basename(readlinkSync(`/proc/${name}/exe`)) !== 'containerd-shim-runc-v2') continue;
      if (!readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes(CONTAINERD_SOCKET)) continue;
      await stopPid(Number(name), 5_000);
    } catch {
      // gone
    }
  }
  unmountUnder(REF_DATA_ROOT);
  unmountUnder(REF_EXEC_ROOT);
  rmSync(REF_EXEC_ROOT, { recursive: true, force: true });
  rmSync(REF_SOCKET, { force: true });
  rmSync(REF_PIDFILE, { force: true });
  // dockerd always creates /run/docker/plugins (plugin discovery); drop it if nothing else uses it.
  for (const d of ['/run/docker/plugins', '/run/docker']) {
    try {
      rmdirSync(d);
    } catch {
      break;
    }
  }
}
