// Integration-test helpers: a real berthd on a temp root and socket, the busybox image, and the two CLIs
// (ours and the real docker CLI) pointed at that socket.
//
//   const d = await startBerthd();
//   after(() => d.stop());
//   await importBusybox(d.socket);
//   const r = await runCli(['run', '--rm', 'busybox', 'echo', 'hi'], { socket: d.socket });
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file runs from dist/test/helpers/). */
export const repoRoot: string = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'scripts', 'make-busybox-rootfs.sh'))) {
      return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find the berth repository above ${from}`);
  }
}

const BERTHD = path.join(repoRoot, 'dist', 'src', 'cmd', 'berthd.js');
export const BERTH = path.join(repoRoot, 'dist', 'src', 'cmd', 'berth.js');
export const DOCKER_CLI = '/usr/local/bin/docker';

// ------------------------------------------------------------------------------------- API access

export interface ApiResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One Engine API request over a unix socket. `body` may be a buffer, a string or a file to stream. */
export function apiRequest(
  socket: string,
  method: string,
  urlPath: string,
  opts: { body?: Buffer | string; file?: string; headers?: http.OutgoingHttpHeaders; timeoutMs?: number } = {},
): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { socketPath: socket, method, path: urlPath, headers: opts.headers, timeout: opts.timeoutMs ?? 60_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: timed out`)));
    req.on('error', reject);
    if (opts.file) {
      const src = createReadStream(opts.file);
      src.on('error', (err) => req.destroy(err));
      src.pipe(req);
    } else {
      req.end(opts.body);
    }
  });
}

/** Whether `GET /_ping` answers 200 on `socket`. */
export async function ping(socket: string, timeoutMs = 1000): Promise<boolean> {
  try {
    return (await apiRequest(socket, 'GET', '/_ping', { timeoutMs })).status === 200;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// --------------------------------------------------------------------------------------- berthd

export interface StartBerthdOptions {
  /** Extra daemon flags, after -H / --data-root / --exec-root. */
  args?: string[];
  /** Extra environment for berthd. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for /_ping (default 10 s). */
  timeoutMs?: number;
}

export interface BerthdHandle {
  /** Socket path (not a URL). */
  socket: string;
  /** `unix://<socket>`, for BERTH_HOST / DOCKER_HOST. */
  host: string;
  dataRoot: string;
  execRoot: string;
  /** The temp directory holding socket, data and exec roots, and berthd.log. */
  dir: string;
  /** PID of the current berthd process (changes on restart). */
  readonly pid: number;
  /** berthd's stdout and stderr so far (all runs). */
  log(): string;
  /** SIGTERM, wait, then remove everything: leftover processes under the roots, mounts, the dirs. */
  stop(): Promise<void>;
  /** SIGKILL berthd and wait for it; leaves state, mounts and containers in place (crash tests). */
  kill9(): Promise<void>;
  /** Stops berthd gracefully if running (no cleanup), then starts it again on the same roots. */
  restart(): Promise<void>;
}

/** Starts `node dist/src/cmd/berthd.js` on a fresh temp root and waits until /_ping answers. */
export async function startBerthd(opts: StartBerthdOptions = {}): Promise<BerthdHandle> {
  if (!existsSync(BERTHD)) throw new Error(`${BERTHD} is missing: run "npm run build" first`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-it-'));
  const socket = path.join(dir, 'berth.sock');
  const dataRoot = path.join(dir, 'data');
  const execRoot = path.join(dir, 'exec');
  const logFile = path.join(dir, 'berthd.log');
  mkdirSync(dataRoot);
  mkdirSync(execRoot);

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let stopped = false;

  const spawnDaemon = async () => {
    const fd = openSync(logFile, 'a');
    try {
      child = spawn(
        process.execPath,
        [BERTHD, '-H', `unix://${socket}`, '--data-root', dataRoot, '--exec-root', execRoot, ...(opts.args ?? [])],
        { stdio: ['ignore', fd, fd], env: { ...process.env, ...opts.env } },
      );
    } finally {
      closeSync(fd);
    }
    const c = child;
    let exitInfo: string | undefined;
    exited = new Promise<void>((resolve) => {
      c.once('exit', (code, signal) => {
        exitInfo = signal ? `signal ${signal}` : `code ${code}`;
        resolve();
      });
      c.once('error', (err) => {
        exitInfo = err.message;
        resolve();
      });
    });
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    while (Date.now() < deadline) {
      if (exitInfo !== undefined) break;
      if (await ping(socket, 500)) return;
      await sleep(50);
    }
    const why = exitInfo !== undefined ? `exited (${exitInfo})` : `did not answer /_ping within ${opts.timeoutMs ?? 10_000} ms`;
    if (exitInfo === undefined) {
      c.kill('SIGKILL');
      await exited;
    }
    throw new Error(`berthd ${why}; log:\n${tail(readLog(logFile), 40)}`);
  };

  const terminate = async (signal: NodeJS.Signals, graceMs: number) => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    c.kill(signal);
    const done = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!done) {
      c.kill('SIGKILL');
      await exited;
    }
  };

  const handle: BerthdHandle = {
    socket,
    host: `unix://${socket}`,
    dataRoot,
    execRoot,
    dir,
    get pid() {
      return child?.pid ?? -1;
    },
    log: () => readLog(logFile),
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', onExit);
      await terminate('SIGTERM', 15_000);
      reapProcessesUnder(dir);
      deleteRuntimeState(execRoot);
      unmountUnder(dir);
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    },
    async kill9() {
      await terminate('SIGKILL', 10_000);
    },
    async restart() {
      await terminate('SIGTERM', 15_000);
      await spawnDaemon();
    },
  };

  // If the test process dies without stop(), at least do not leave berthd running.
  const onExit = () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', onExit);

  try {
    await spawnDaemon();
  } catch (err) {
    await handle.stop();
    throw err;
  }
  return handle;
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function tail(text: string, lines: number): string {
  return text.split('\n').slice(-lines).join('\n');
}

/**
 * Kills what a test's daemon left running below `dir`: container processes (their root filesystem is
 * mounted from below `dir`), helpers whose command line names a path below `dir` (conmon, runc), and
 * the descendants of both. Nothing else on the machine matches, since `dir` is a fresh temp directory.
 */
/**
 * `runc delete` of whatever runc still tracks under the exec root, so that the
 * containers' cgroups (outside the temp dir, under /sys/fs/cgroup) go too.
 */
export function deleteRuntimeState(execRoot: string): void {
  for (const runtime of ['runc', 'crun']) {
    const root = path.join(execRoot, runtime);
    let ids: string[] = [];
    try {
      ids = readdirSync(root);
    } catch {
      continue;
    }
    for (const id of ids) spawnSync(runtime, ['--root', root, 'delete', '--force', id], { stdio: 'ignore', timeout: 10_000 });
  }
}

export function reapProcessesUnder(dir: string): void {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const ownMountNs = readlinkSync('/proc/self/ns/mnt');
  const matched = new Set<number>();
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    try {
      // "pid (comm) state ppid …" — comm may contain spaces and parentheses.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
      if (readlinkSync(`/proc/${pid}/ns/mnt`) !== ownMountNs) {
        // After pivot_root, /proc/PID/root reads "/": look at what is mounted on the process's "/".
        const rootMount = readFileSync(`/proc/${pid}/mountinfo`, 'utf8')
          .split('\n')
          .find((line) => line.split(' ')[4] === '/');
        if (rootMount?.includes(prefix)) matched.add(pid);
      } else if (readlinkSync(`/proc/${pid}/root`).startsWith(prefix)) {
        matched.add(pid); // chroot
      } else if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(prefix)) {
        matched.add(pid);
      }
    } catch {
      // gone, or a kernel thread
    }
  }
  const victims = [...matched];
  for (let i = 0; i < victims.length; i++) {
    for (const c of children.get(victims[i]!) ?? []) {
      if (!matched.has(c) && c !== process.pid) {
        matched.add(c);
        victims.push(c);
      }
    }
  }
  for (const pid of victims) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Mount points at or below `dir` in this mount namespace, deepest (and latest) first. */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const found: string[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const field = line.split(' ')[4];
    if (!field) continue;
    const mountPoint = field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
    if (mountPoint === dir || mountPoint.startsWith(prefix)) found.push(mountPoint);
  }
  // Later lines are newer mounts; reverse first so a stable sort keeps newest-first among equals.
  return found.reverse().sort((a, b) => b.split('/').length - a.split('/').length);
}

/** `umount -l` everything at or below `dir`, deepest first, until nothing is left (bounded). */
export function unmountUnder(dir: string): void {
  for (let pass = 0; pass < 5; pass++) {
    const mounts = mountsUnder(dir);
    if (mounts.length === 0) return;
    for (const m of mounts) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
  }
}

// -------------------------------------------------------------------------------------- busybox

let busyboxTar: Promise<{ file: string; diffId: string }> | undefined;

/**
 * The busybox rootfs tar (scripts/make-busybox-rootfs.sh), built once and cached under os.tmpdir(), keyed
 * by the script and the busybox binary. Also its sha256, which is the image layer's diff ID.
 */
export function busyboxRootfs(): Promise<{ file: string; diffId: string }> {
  busyboxTar ??= (async () => {
    const script = path.join(repoRoot, 'scripts', 'make-busybox-rootfs.sh');
    const bin = process.env.BUSYBOX ?? '/bin/busybox';
    const st = statSync(bin);
    const key = createHash('sha256')
      .update(readFileSync(script))
      .update(`${bin}\0${st.size}\0${st.mtimeMs}\0${st.ino}`)
      .digest('hex')
      .slice(0, 16);
    const cacheDir = path.join(os.tmpdir(), 'berth-test-cache');
    const file = path.join(cacheDir, `busybox-rootfs-${key}.tar`);
    if (!existsSync(file)) {
      mkdirSync(cacheDir, { recursive: true });
      // The script writes a temp file and renames it, so concurrent test files cannot see half a tar.
      const r = spawnSync('bash', [script, file], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`make-busybox-rootfs.sh failed (${r.status}): ${r.stderr}`);
    }
    const diffId = `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
    return { file, diffId };
  })();
  busyboxTar.catch(() => {
    busyboxTar = undefined;
  });
  return busyboxTar;
}

/**
 * Imports the busybox rootfs as busybox:latest (CMD ["sh"]) through
 * `POST /images/create?fromSrc=-`, unless busybox:latest already has exactly that layer.
 * Returns the image ID the engine reported (or the existing image's ID).
 */
export async function importBusybox(socket: string, opts: { force?: boolean } = {}): Promise<string> {
  const { file, diffId } = await busyboxRootfs();
  if (!opts.force) {
    const existing = await apiRequest(socket, 'GET', '/images/busybox:latest/json');
    if (existing.status === 200) {
      const img = JSON.parse(existing.body.toString()) as { Id?: string; RootFS?: { Layers?: string[] } };
      const layers = img.RootFS?.Layers ?? [];
      if (layers.length === 1 && layers[0] === diffId && img.Id) return img.Id;
    }
  }
  const res = await apiRequest(
    socket,
    'POST',
    '/images/create?fromSrc=-&repo=busybox&tag=latest&changes=CMD%20%5B%22sh%22%5D',
    { file, headers: { 'Content-Type': 'application/x-tar' }, timeoutMs: 120_000 },
  );
  const text = res.body.toString();
  if (res.status !== 200) throw new Error(`import busybox: HTTP ${res.status}: ${text}`);
  // The body is a JSON progress stream: {"status":"sha256:…"} or {"errorDetail":…,"error":"…"}.
  let id = '';
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    let msg: { status?: string; error?: string; errorDetail?: { message?: string } };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      continue;
    }
    if (msg.error || msg.errorDetail) throw new Error(`import busybox: ${msg.errorDetail?.message ?? msg.error}`);
    if (msg.status?.startsWith('sha256:')) id = msg.status;
  }
  return id;
}

// ------------------------------------------------------------------------------------------ CLIs

export interface RunResult {
  /** Exit code; -1 when killed by a signal (see `signal`). */
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Whether the command was killed for running longer than `timeoutMs`. */
  timedOut: boolean;
}

export interface RunOptions {
  /** Socket path of the daemon to talk to. */
  socket: string;
  /** Written to the command's stdin, which is then closed. Without it stdin is empty. */
  input?: string | Buffer;
  /** Extra environment (e.g. HOME, DOCKER_CONFIG). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Killed with SIGKILL after this long (default 60 s). */
  timeoutMs?: number;
}

/** Runs `node dist/src/cmd/berth.js ARGS` with BERTH_HOST=unix://<socket>. */
export function runCli(args: string[], opts: RunOptions): Promise<RunResult> {
  return run(process.execPath, [BERTH, ...args], { ...opts, env: { BERTH_HOST: `unix://${opts.socket}`, ...opts.env } });
}

/** Runs the real docker CLI (/usr/local/bin/docker) with DOCKER_HOST=unix://<socket>. */
export function runDocker(args: string[], opts: RunOptions): Promise<RunResult> {
  return run(DOCKER_CLI, args, { ...opts, env: { DOCKER_HOST: `unix://${opts.socket}`, ...opts.env } });
}

function run(cmd: string, args: string[], opts: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
    // Do not let an outer setting point the command at another daemon.
    if (cmd === DOCKER_CLI) delete env.DOCKER_CONTEXT;
    const child = spawn(cmd, args, { env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    let settled = false;
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.on('error', () => {
      // the command exited without reading its input
    });
    child.stdin.end(opts.input);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? 60_000);
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      resolve({
        code: child.exitCode ?? -1,
        signal: child.signalCode,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
        timedOut,
      });
    };
    let grace: NodeJS.Timeout | undefined;
    child.on('error', (e) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', finish);
    // A process the command left behind (say, a daemon it auto-started) may still hold the pipes:
    // once the command itself has exited, give its output a moment to drain, then stop waiting.
    child.on('exit', () => {
      grace = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish();
      }, 1000);
    });
  });
}
