// Registries across engines and tools, with Debian's docker-registry as the independent peer: the real
// docker CLI driving berthd (push, pull, login, run of a missing image), images pushed by berth pulled
// into the reference dockerd 20.10 and the reverse, both engines' pull output compared, and skopeo
// copying between berth's `save` archives and the registry.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, runDocker } from '../helpers/daemon.js';
import { bridgeToReferenceDockerd, startRegistry, type Bridge, type RegistryHandle } from '../integration/distribution/registry.js';
import { cleanup, compatDaemons, show, uniquePrefix } from './differential.js';

const env = compatDaemons({ reference: true });
const P = uniquePrefix('registry');
let reg: RegistryHandle;
let authReg: RegistryHandle;
let bridge: Bridge | undefined;
let bridgeError: unknown;
let dir: string;
const refImages: string[] = [];

before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'berth-compat-registry-'));
  [reg, authReg] = await Promise.all([startRegistry(), startRegistry({ htpasswd: { user: 'carol', password: 'pw-carol' } })]);
});
after(async () => {
  try {
    await cleanup(env.ref(), { images: refImages });
  } catch {
    // no reference dockerd: nothing to clean there
  }
  await bridge?.stop();
  await Promise.all([reg?.stop(), authReg?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const dockerEnv = () => ({ DOCKER_CONFIG: path.join(dir, 'docker-config') });
async function docker(socket: string, args: string[], input?: string) {
  return env.docker(socket, args, { input, timeoutMs: 120_000 });
}
async function ok(socket: string, args: string[]) {
  const r = await docker(socket, args);
  assert.equal(r.code, 0, `docker ${args.join(' ')}: ${show(r)}`);
  return r;
}
/** The reference dockerd, with the registry reachable from its network namespace (bridged on first use). */
async function refSocket(): Promise<string> {
  const socket = env.ref();
  if (!bridge && bridgeError === undefined) {
    try {
      bridge = await bridgeToReferenceDockerd(reg.port);
    } catch (err) {
      bridgeError = err;
    }
  }
  if (!bridge) throw new Error(`the registry cannot be reached from the reference dockerd: ${String(bridgeError)}`);
  return socket;
}

/**
 * Non-progress lines of a pull, with layer IDs and digests as placeholders, sorted (layers finish in any order).
 * Transient statuses are left out: whether dockerd reports them for a small layer depends on timing.
 */
const shape = (out: string) =>
  out
    .split('\n')
    .filter(Boolean)
    .filter((l) => !/: (Waiting|Downloading|Verifying Checksum|Extracting)\b/.test(l))
    .map((l) => l.replace(/\b[0-9a-f]{12}: /, '<layer>: ').replace(/sha256:[0-9a-f]{64}/g, '<digest>'))
    .sort();

test('the docker CLI pushes from berthd and pulls back; the output has docker\'s shape', async () => {
  const name = `${reg.host}/${P}/cli:1`;
  await ok(env.berth, ['tag', 'busybox', name]);
  const push = await ok(env.berth, ['push', name]);
  const lines = push.stdout.split('\n').filter(Boolean);
  assert.equal(lines[0], `The push refers to repository [${reg.host}/${P}/cli]`);
  assert.match(lines.at(-1) ?? '', /^1: digest: sha256:[0-9a-f]{64} size: \d+$/);
  await ok(env.berth, ['rmi', name]);
  // busybox:latest still holds the image: only the name comes back, as dockerd does it.
  const pull = await ok(env.berth, ['pull', name]);
  assert.deepEqual(shape(pull.stdout), shape(`1: Pulling from ${P}/cli\nDigest: sha256:${'0'.repeat(64)}\nStatus: Downloaded newer image for ${name}\n${name}\n`));
  const run = await docker(env.berth, ['run', '--rm', name, 'echo', 'via docker cli']);
  assert.equal(run.stdout, 'via docker cli\n');
  // docker search against berthd lists the registry's catalog in docker's table.
  const search = await ok(env.berth, ['search', `${reg.host}/${P}/cli`]);
  assert.match(search.stdout, new RegExp(`^NAME\\s+DESCRIPTION\\s+STARS\\s+OFFICIAL\n${reg.host}/${P}/cli\\s+0\\s*\n$`));
});

test('docker run of a missing image: berthd answers "No such image", the docker CLI pulls through it', async () => {
  const name = `${reg.host}/${P}/missing:1`;
  await ok(env.berth, ['tag', 'busybox', name]);
  await ok(env.berth, ['push', name]);
  await ok(env.berth, ['rmi', name]);
  const run = await docker(env.berth, ['run', '--rm', name, 'echo', 'pulled by run']);
  assert.equal(run.code, 0, show(run));
  assert.equal(run.stdout, 'pulled by run\n');
  assert.match(run.stderr, new RegExp(`^Unable to find image '${name}' locally\n1: Pulling from ${P}/missing\n`));
  assert.match(run.stderr, new RegExp(`Status: Downloaded newer image for ${name}\n$`));
});

test('docker login against berthd checks the credentials at the registry', async () => {
  const bad = await env.docker(env.berth, ['login', '-u', 'carol', '--password-stdin', authReg.host], { input: 'nope' });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, new RegExp(`Error response from daemon: login attempt to http://${authReg.host}/v2/ failed with status: 401 Unauthorized`));
  const good = await runDockerWithConfig(['login', '-u', 'carol', '--password-stdin', authReg.host], 'pw-carol');
  assert.equal(good.code, 0, show(good));
  assert.match(good.stdout, /Login Succeeded/);
  const name = `${authReg.host}/${P}/priv:1`;
  await ok(env.berth, ['tag', 'busybox', name]);
  const push = await runDockerWithConfig(['push', name]);
  assert.equal(push.code, 0, show(push));
  assert.match(push.stdout, /^1: digest: sha256:/m);
});

async function runDockerWithConfig(args: string[], input?: string) {
  return runDocker(args, { socket: env.berth, input, env: dockerEnv(), timeoutMs: 120_000 });
}

test('what berth pushes, the reference dockerd pulls and runs (a committed second layer included)', async () => {
  const ref = await refSocket();
  const name = `${reg.host}/${P}/from-berth:1`;
  const c = `${P}-maker`;
  await ok(env.berth, ['run', '--name', c, 'busybox', 'sh', '-c', 'echo made by berth > /made.txt']);
  await ok(env.berth, ['commit', c, name]);
  await ok(env.berth, ['rm', c]);
  await ok(env.berth, ['push', name]);
  refImages.push(name);
  const pull = await ok(ref, ['pull', name]);
  assert.match(pull.stdout, new RegExp(`Status: Downloaded newer image for ${name}`));
  assert.equal((await ok(ref, ['run', '--rm', name, 'cat', '/made.txt'])).stdout, 'made by berth\n');
  // Same image, same ID on both engines; same manifest digest in RepoDigests.
  const fmt = ['image', 'inspect', '--format', '{{.Id}} {{json .RepoDigests}}', name];
  assert.equal((await ok(ref, fmt)).stdout, (await ok(env.berth, fmt)).stdout);
});

test('what the reference dockerd pushes, berth pulls and runs; both engines show the same pull', async () => {
  const ref = await refSocket();
  const name = `${reg.host}/${P}/from-docker:1`;
  const c = `${P}-ref-maker`;
  await ok(ref, ['run', '--name', c, 'busybox', 'sh', '-c', 'echo made by dockerd > /made.txt']);
  await ok(ref, ['commit', c, name]);
  await ok(ref, ['rm', c]);
  refImages.push(name);
  await ok(ref, ['push', name]);
  await ok(ref, ['rmi', name]);
  const berthPull = await ok(env.berth, ['pull', name]);
  const refPull = await ok(ref, ['pull', name]);
  assert.deepEqual(shape(berthPull.stdout), shape(refPull.stdout));
  assert.equal((await ok(env.berth, ['run', '--rm', name, 'cat', '/made.txt'])).stdout, 'made by dockerd\n');
  const size = ['images', '--format', '{{.ID}} {{.Size}}', name];
  assert.equal((await ok(env.berth, size)).stdout, (await ok(ref, size)).stdout);
});

test("skopeo copies berth's save archive to the registry, and a registry image to an archive berth loads", async () => {
  {
    const name = `${reg.host}/${P}/skopeo:1`;
    const archive = path.join(dir, 'saved.tar');
    await ok(env.berth, ['tag', 'busybox', `${P}-skopeo:src`]);
    const save = await runCli(['save', '-o', archive, `${P}-skopeo:src`], { socket: env.berth });
    assert.equal(save.code, 0, save.stderr);
    skopeo(['copy', '--dest-tls-verify=false', `docker-archive:${archive}`, `docker://${name}`]);
    const pull = await ok(env.berth, ['pull', name]);
    assert.match(pull.stdout, new RegExp(`Digest: sha256:[0-9a-f]{64}`));
    assert.equal((await ok(env.berth, ['run', '--rm', name, 'echo', 'via skopeo'])).stdout, 'via skopeo\n');

    const back = path.join(dir, 'from-registry.tar');
    skopeo(['copy', '--src-tls-verify=false', `docker://${name}`, `docker-archive:${back}:${P}-skopeo:back`]);
    const load = await runCli(['load', '-i', back], { socket: env.berth });
    assert.equal(load.code, 0, load.stderr);
    assert.equal((await ok(env.berth, ['run', '--rm', `${P}-skopeo:back`, 'echo', 'loaded'])).stdout, 'loaded\n');
  }
});

function skopeo(args: string[]): string {
  const r = spawnSync('skopeo', args, { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `skopeo ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
