// Test peers for the registry client: Debian's docker-registry (the reference distribution registry
// 2.8) on 127.0.0.1:<free port>, with or without htpasswd Basic auth, stopped by its PID; and a bridge
// that makes such a registry reachable from the reference dockerd, which runs in its own network
// namespace (a forwarder inside that namespace listens on the same 127.0.0.1:<port> and relays to a
// unix socket that a relay in ours connects to the registry), so both engines use the same names.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REF_PIDFILE } from '../../helpers/dockerd-ref.js';

export const REGISTRY_BIN = '/usr/bin/docker-registry';

export interface RegistryHandle {
  /** "127.0.0.1:<port>", as image references name it. */
  host: string;
  port: number;
  dir: string;
  log(): string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  if (await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)])) return;
  child.kill('SIGKILL');
  await exited;
}

/** Starts docker-registry serving a fresh temp directory; `htpasswd` turns on Basic auth (bcrypt). */
export async function startRegistry(opts: { htpasswd?: { user: string; password: string } } = {}): Promise<RegistryHandle> {
  if (!existsSync(REGISTRY_BIN)) throw new Error(`${REGISTRY_BIN} is missing: apt-get install docker-registry`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-registry-'));
  const port = await freePort();
  let auth = '';
  if (opts.htpasswd) {
    const r = spawnSync('htpasswd', ['-Bbn', opts.htpasswd.user, opts.htpasswd.password], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`htpasswd failed (apt-get install apache2-utils): ${r.stderr}`);
    writeFileSync(path.join(dir, 'htpasswd'), r.stdout);
    auth = `auth:\n  htpasswd:\n    realm: berth-test\n    path: ${path.join(dir, 'htpasswd')}\n`;
  }
  const config = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    auth,
  ].join('\n');
  writeFileSync(path.join(dir, 'config.yml'), config);
  const logFile = path.join(dir, 'registry.log');
  const out: Buffer[] = [];
  const child = spawn(REGISTRY_BIN, ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c: Buffer) => out.push(c));
  child.stderr!.on('data', (c: Buffer) => out.push(c));
  const log = () => Buffer.concat(out).toString();
  const handle: RegistryHandle = {
    host: `127.0.0.1:${port}`,
    port,
    dir,
    log,
    async stop() {
      await stopChild(child);
      writeFileSync(logFile, log());
      rmSync(dir, { recursive: true, force: true });
    },
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    if (await answers(port)) return handle;
    await sleep(50);
  }
  await handle.stop();
  throw new Error(`docker-registry did not start on port ${port}: ${log()}`);
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** The forwarder run inside the reference dockerd's network namespace: TCP 127.0.0.1:port → unix socket. */
const FORWARDER = `
const net = require('node:net');
const [port, sock] = process.argv.slice(2);
net.createServer((c) => {
  const u = net.connect(sock);
  c.pipe(u).pipe(c);
  c.on('error', () => u.destroy());
  u.on('error', () => c.destroy());
}).listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\\n'));
`;

export interface Bridge {
  stop(): Promise<void>;
}

/** Makes 127.0.0.1:<port> (a registry here) answer inside the reference dockerd's network namespace too. */
export async function bridgeToReferenceDockerd(port: number): Promise<Bridge> {
  const pid = Number(readFileSync(REF_PIDFILE, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`no reference dockerd pid in ${REF_PIDFILE}`);
  // Its namespace has only loopback, created down.
  const up = spawnSync('nsenter', ['-t', String(pid), '-n', 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8' });
  if (up.status !== 0) throw new Error(`cannot bring up loopback in dockerd's namespace: ${up.stderr}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-bridge-'));
  const sock = path.join(dir, 'relay.sock');
  const open = new Set<net.Socket>();
  const relay = net.createServer((c) => {
    const t = net.connect(port, '127.0.0.1');
    open.add(c).add(t);
    c.on('close', () => open.delete(c));
    t.on('close', () => open.delete(t));
    c.pipe(t).pipe(c);
    c.on('error', () => t.destroy());
    t.on('error', () => c.destroy());
  });
  await new Promise<void>((r) => relay.listen(sock, () => r()));
  const script = path.join(dir, 'forwarder.cjs');
  writeFileSync(script, FORWARDER);
  const child = spawn('nsenter', ['-t', String(pid), '-n', process.execPath, script, String(port), sock], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const ready = await new Promise<boolean>((resolve) => {
    child.stdout!.once('data', () => resolve(true));
    child.once('exit', () => resolve(false));
    setTimeout(() => resolve(false), 10_000);
  });
  const stop = async () => {
    await stopChild(child);
    for (const sock of open) sock.destroy();
    await new Promise<void>((r) => relay.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  };
  if (!ready) {
    await stop();
    throw new Error(`forwarder in dockerd's namespace did not start: ${err}`);
  }
  return { stop };
}
