// The builder pulls base images it does not have, as Docker's classic builder does: FROM and COPY --from
// of an image on Debian's docker-registry, the pull's progress in the build output; --pull (pull=1)
// fetches a newer version of one it has; a repository or tag the registry lacks fails the step with the
// pull's error; X-Registry-Config carries the credentials for a registry that wants them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import tar from 'tar-stream';
import { apiRequest, importBusybox, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';
import { startRegistry, type RegistryHandle } from '../distribution/registry.js';
import { build, buildOk, cli, inspect, writeContext } from './build-helpers.js';

let d: BerthdHandle;
let reg: RegistryHandle;
let authReg: RegistryHandle;
/** localhost:<port>, as the brief's `localhost:5000/app:1` names a local registry. */
let host: string;
let busyboxId: string;
const USER = 'builder';
const PASS = 'b-secret';

before(async () => {
  [d, reg, authReg] = await Promise.all([startBerthd(), startRegistry(), startRegistry({ htpasswd: { user: USER, password: PASS } })]);
  host = `localhost:${reg.port}`;
  busyboxId = await importBusybox(d.socket);
  // The registry gets busybox as base:1, and berthd forgets it entirely: the build must fetch its layer.
  await ok('tag', 'busybox', `${host}/base:1`);
  await ok('push', `${host}/base:1`);
  await ok('rmi', `${host}/base:1`, 'busybox');
  assert.equal((await cli(d, 'images', '-q')).stdout, '');
});
after(async () => {
  await d?.stop();
  await Promise.all([reg?.stop(), authReg?.stop()]);
});

async function ok(...args: string[]): Promise<string> {
  const r = await cli(d, ...args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const lines = (s: string) => s.split('\n');

/** The lines between "Step n/…" and the next step (or the end). */
function stepOutput(stdout: string, n: number): string[] {
  const all = lines(stdout);
  const start = all.findIndex((l) => l.startsWith(`Step ${n}/`));
  assert.ok(start >= 0, stdout);
  const end = all.findIndex((l, i) => i > start && /^Step \d+\//.test(l));
  return all.slice(start + 1, end < 0 ? undefined : end);
}

test('FROM an image berthd does not have pulls it, shows the pull in the output, and builds on it', async () => {
  const ctx = writeContext(d, { Dockerfile: `FROM ${host}/base:1\nRUN echo ok > /x\n` });
  const r = await buildOk(d, ctx, '-t', 'from-pull:1');
  const step1 = stepOutput(r.stdout, 1);
  assert.equal(step1[0], '1: Pulling from base', r.stdout);
  assert.ok(step1.some((l) => /^[a-f0-9]{12}: Pulling fs layer$/.test(l)), r.stdout);
  assert.ok(step1.some((l) => /^[a-f0-9]{12}: Pull complete$/.test(l)), r.stdout);
  assert.match(step1.at(-3)!, /^Digest: sha256:[a-f0-9]{64}$/);
  assert.equal(step1.at(-2), `Status: Downloaded newer image for ${host}/base:1`);
  assert.match(step1.at(-1)!, /^ ---> [a-f0-9]{12}$/);
  // No progress bars or byte counts off a terminal.
  assert.doesNotMatch(r.stdout, /Downloading|Extracting|\[=*>/);

  assert.equal(await ok('run', '--rm', 'from-pull:1', 'cat', '/x'), 'ok\n');
  assert.match(await ok('images'), new RegExp(`^${host}/base\\s+1\\s+[a-f0-9]{12}\\s`, 'm'));
  // The same layer as the busybox that was pushed.
  assert.deepEqual((await inspect(d, `${host}/base:1`)).RootFS.Layers, (await inspect(d, 'from-pull:1')).RootFS.Layers.slice(0, 1));
  assert.equal((await inspect(d, `${host}/base:1`)).Id, busyboxId);

  // Now it is here: a second build does not pull.
  const again = await buildOk(d, ctx, '-t', 'from-pull:1');
  assert.doesNotMatch(again.stdout, /Pulling from|Status:/);
});

test('FROM a repository or tag the registry does not have fails at that step with the pull\'s error', async () => {
  const cases: Array<[string, string]> = [
    // The distribution registry answers MANIFEST_UNKNOWN for a repository it has never seen, as for a tag.
    [`${host}/nosuch:1`, `manifest for ${host}/nosuch:1 not found: manifest unknown: manifest unknown\n`],
    [`${host}/base:2`, `manifest for ${host}/base:2 not found: manifest unknown: manifest unknown\n`],
  ];
  for (const [ref, stderr] of cases) {
    const ctx = writeContext(d, { Dockerfile: `FROM ${ref}\nRUN echo never\n` });
    const r = await build(d, ctx);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.stderr, stderr);
    assert.match(r.stdout, new RegExp(`Step 1/2 : FROM ${ref}\n$`));
    assert.doesNotMatch(r.stdout, /Step 2/);
  }
  assert.deepEqual(lines((await ok('images', '--format', '{{.Repository}}:{{.Tag}}')).trim()).sort(), ['from-pull:1', `${host}/base:1`].sort());
});

test('COPY --from=<image> pulls a missing image too', async () => {
  const toolCtx = writeContext(d, { Dockerfile: `FROM ${host}/base:1\nRUN echo tool > /tool\n` });
  await buildOk(d, toolCtx, '-t', `${host}/tools:1`);
  await ok('push', `${host}/tools:1`);
  await ok('rmi', `${host}/tools:1`);

  const ctx = writeContext(d, { Dockerfile: `FROM ${host}/base:1\nCOPY --from=${host}/tools:1 /tool /copied\n` });
  const r = await buildOk(d, ctx, '-t', 'copy-pull:1');
  const step2 = stepOutput(r.stdout, 2);
  assert.equal(step2[0], '1: Pulling from tools', r.stdout);
  assert.ok(step2.some((l) => /^[a-f0-9]{12}: Already exists$/.test(l)), 'the base layer is here already');
  assert.ok(step2.some((l) => /^[a-f0-9]{12}: Pull complete$/.test(l)), 'the tool layer is fetched');
  assert.ok(step2.includes(`Status: Downloaded newer image for ${host}/tools:1`), r.stdout);
  assert.equal(await ok('run', '--rm', 'copy-pull:1', 'cat', '/copied'), 'tool\n');
  assert.match(await ok('images'), new RegExp(`^${host}/tools\\s+1\\s`, 'm'));
});

test('--pull fetches a newer version of a base image that is here; without it the local one is used', async () => {
  // The registry's base:1 moves on to an image with /marker; berthd's base:1 stays busybox.
  const v2 = writeContext(d, { Dockerfile: `FROM ${host}/base:1\nRUN echo v2 > /marker\n` });
  await buildOk(d, v2, '-t', `${host}/base:1`);
  await ok('push', `${host}/base:1`);
  const v2Id = (await inspect(d, `${host}/base:1`)).Id;
  await ok('tag', busyboxId, `${host}/base:1`);

  const ctx = writeContext(d, { Dockerfile: `FROM ${host}/base:1\nRUN cat /marker 2>/dev/null || echo no-marker\n` });
  const local = await buildOk(d, ctx, '--no-cache');
  assert.doesNotMatch(local.stdout, /Pulling from/);
  assert.match(local.stdout, /^no-marker$/m);

  const pulled = await buildOk(d, ctx, '--no-cache', '--pull');
  const step1 = stepOutput(pulled.stdout, 1);
  assert.equal(step1[0], '1: Pulling from base');
  assert.ok(step1.includes(`Status: Downloaded newer image for ${host}/base:1`), pulled.stdout);
  assert.match(pulled.stdout, /^v2$/m);
  assert.equal((await inspect(d, `${host}/base:1`)).Id, v2Id);

  // Pulled again with nothing new: up to date, and the build goes on.
  const same = await buildOk(d, ctx, '--pull');
  assert.ok(stepOutput(same.stdout, 1).includes(`Status: Image is up to date for ${host}/base:1`), same.stdout);
});

/** POST /build of a one-Dockerfile context, with extra headers; the stream's messages. */
async function apiBuild(dockerfile: string, headers: Record<string, string>): Promise<Array<Record<string, any>>> {
  const pack = tar.pack();
  pack.entry({ name: 'Dockerfile' }, dockerfile);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as unknown as AsyncIterable<Buffer>) chunks.push(c);
  const r = await apiRequest(d.socket, 'POST', '/build', {
    body: Buffer.concat(chunks),
    headers: { 'Content-Type': 'application/x-tar', ...headers },
    timeoutMs: 120_000,
  });
  assert.equal(r.status, 200, r.body.toString());
  return r.body.toString().split(/\r?\n/).filter(Boolean).map((l) => JSON.parse(l));
}

const base64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');

test('X-Registry-Config: the credentials for the base image\'s registry are used for its pull', async () => {
  const ref = `${authReg.host}/private/base:1`;
  const auth = { username: USER, password: PASS, serveraddress: authReg.host };
  await ok('tag', busyboxId, ref);
  const push = await apiRequest(d.socket, 'POST', `/images/${encodeURIComponent(`${authReg.host}/private/base`)}/push?tag=1`, {
    headers: { 'X-Registry-Auth': base64url(auth) },
    timeoutMs: 120_000,
  });
  assert.doesNotMatch(push.body.toString(), /"error"/);
  await ok('rmi', ref);

  const dockerfile = `FROM ${ref}\nLABEL pulled=yes\n`;
  const anonymous = await apiBuild(dockerfile, {});
  assert.deepEqual(anonymous.at(-1), {
    errorDetail: { message: `Get "http://${authReg.host}/v2/private/base/manifests/1": no basic auth credentials` },
    error: `Get "http://${authReg.host}/v2/private/base/manifests/1": no basic auth credentials`,
  });

  // Keys as the docker CLI sends them: another registry's, and this one's by URL (hostname match).
  const config = { 'https://index.docker.io/v1/': { username: 'x', password: 'y' }, [`http://${authReg.host}`]: { auth: Buffer.from(`${USER}:${PASS}`).toString('base64') } };
  const messages = await apiBuild(dockerfile, { 'X-Registry-Config': base64url(config) });
  assert.ok(!messages.some((m) => m.error), JSON.stringify(messages));
  assert.ok(messages.some((m) => m.status === 'Pulling from private/base' && m.id === '1'), JSON.stringify(messages));
  assert.ok(messages.some((m) => m.status === `Status: Downloaded newer image for ${ref}`), JSON.stringify(messages));
  assert.equal((await inspect(d, ref)).Id, busyboxId);
});
