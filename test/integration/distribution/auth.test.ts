// login, logout and credentials: docker-registry with htpasswd Basic auth, and the bearer token flow
// (a fake registry with its own token endpoint). Credentials live in a temp config dir per test file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { busyboxRootfs, importBusybox, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';
import { buildImage, FakeRegistry } from './fake-registry.js';
import { startRegistry, type RegistryHandle } from './registry.js';

let d: BerthdHandle;
let reg: RegistryHandle;
let fake: FakeRegistry;
let home: string;
const USER = 'alice';
const PASS = 's3cret';

const cli = (args: string[], input?: string, env: NodeJS.ProcessEnv = {}) =>
  runCli(args, { socket: d.socket, input, env: { HOME: home, BERTH_CONFIG: '', DOCKER_CONFIG: '', ...env }, timeoutMs: 120_000 });
const configFile = () => path.join(home, '.berth', 'config.json');

before(async () => {
  home = mkdtempSync(path.join(os.tmpdir(), 'berth-auth-home-'));
  [d, reg] = await Promise.all([startBerthd(), startRegistry({ htpasswd: { user: USER, password: PASS } })]);
  await importBusybox(d.socket);
  fake = new FakeRegistry();
  fake.bearer = { user: 'bob', password: 'tok-pass', service: 'fake-registry' };
  fake.add(buildImage('private/bb', 'v1', [readFileSync((await busyboxRootfs()).file)]));
  await fake.start();
});
after(async () => {
  await fake?.stop();
  await d?.stop();
  await reg?.stop();
  rmSync(home, { recursive: true, force: true });
});

test('without credentials a Basic-auth registry refuses push and pull', async () => {
  await cli(['tag', 'busybox', `${reg.host}/private/bb:1`]);
  const push = await cli(['push', `${reg.host}/private/bb:1`]);
  assert.equal(push.code, 1);
  assert.match(push.stderr, /no basic auth credentials\n$/);
  const pull = await cli(['pull', `${reg.host}/private/bb:1`]);
  assert.equal(pull.code, 1);
  assert.equal(pull.stderr, `Error response from daemon: Get "http://${reg.host}/v2/private/bb/manifests/1": no basic auth credentials\n`);
});

test('login: a wrong password is refused with the registry status; the right one is stored 0600', async () => {
  const bad = await cli(['login', '-u', USER, '-p', 'wrong', reg.host]);
  assert.equal(bad.code, 1);
  assert.equal(
    bad.stderr,
    'WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n' +
      `Error response from daemon: login attempt to http://${reg.host}/v2/ failed with status: 401 Unauthorized\n`,
  );
  assert.equal((await cli(['login', '--password-stdin', reg.host], PASS)).stderr, 'the --password-stdin option requires --username to be set\n');
  assert.equal((await cli(['login', '-u', USER, reg.host])).stderr, 'Error: Cannot perform an interactive login from a non TTY device\n');

  const ok = await cli(['login', '-u', USER, '--password-stdin', reg.host], `${PASS}\n`);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, 'Login Succeeded\n');
  assert.match(ok.stderr, /WARNING! Your credentials are stored unencrypted in '.*\/\.berth\/config\.json'\./);
  assert.equal(statSync(configFile()).mode & 0o777, 0o600);
  assert.deepEqual(JSON.parse(readFileSync(configFile(), 'utf8')), {
    auths: { [reg.host]: { auth: Buffer.from(`${USER}:${PASS}`).toString('base64') } },
  });
  // Stored credentials are used when none are given.
  const again = await cli(['login', reg.host]);
  assert.equal(again.stdout, 'Login Succeeded\n');
  assert.match(again.stderr, new RegExp(`Authenticating with existing credentials\\.\\.\\. \\[Username: ${USER}\\]`));
});

test('with stored credentials push and pull work; logout removes them', async () => {
  const push = await cli(['push', `${reg.host}/private/bb:1`]);
  assert.equal(push.code, 0, push.stderr);
  assert.match(push.stdout, /^1: digest: sha256:[a-f0-9]{64} size: \d+$/m);
  await cli(['rmi', `${reg.host}/private/bb:1`]);
  const pull = await cli(['pull', `${reg.host}/private/bb:1`]);
  assert.equal(pull.code, 0, pull.stderr);
  assert.equal((await cli(['run', '--rm', `${reg.host}/private/bb:1`, 'echo', 'authorized'])).stdout, 'authorized\n');

  const out = await cli(['logout', reg.host]);
  assert.equal(out.stdout, `Removing login credentials for ${reg.host}\n`);
  assert.deepEqual(JSON.parse(readFileSync(configFile(), 'utf8')), { auths: {} });
  await cli(['rmi', `${reg.host}/private/bb:1`]);
  assert.equal((await cli(['pull', `${reg.host}/private/bb:1`])).code, 1);
});

test("credentials in Docker's config.json are used when berth has none", async () => {
  const dockerDir = path.join(home, 'docker-config');
  mkdirSync(dockerDir, { recursive: true });
  writeFileSync(path.join(dockerDir, 'config.json'), JSON.stringify({ auths: { [reg.host]: { auth: Buffer.from(`${USER}:${PASS}`).toString('base64') } } }));
  const pull = await cli(['pull', '-q', `${reg.host}/private/bb:1`], undefined, { DOCKER_CONFIG: dockerDir });
  assert.equal(pull.code, 0, pull.stderr);
  assert.equal(pull.stdout, `${reg.host}/private/bb:1\n`);
  await cli(['rmi', `${reg.host}/private/bb:1`]);
});

test('bearer token flow: tokens come from the realm with the credentials, one per scope, cached', async () => {
  const anon = await cli(['pull', `${fake.host}/private/bb:v1`]);
  assert.equal(anon.code, 1);
  assert.equal(anon.stderr, 'Error response from daemon: unauthorized: incorrect username or password\n');

  const login = await cli(['login', '-u', 'bob', '--password-stdin', fake.host], 'tok-pass');
  assert.equal(login.stdout, 'Login Succeeded\n', login.stderr);
  fake.tokenRequests.length = 0;
  const pull = await cli(['pull', `${fake.host}/private/bb:v1`]);
  assert.equal(pull.code, 0, pull.stderr);
  assert.equal((await cli(['run', '--rm', `${fake.host}/private/bb:v1`, 'echo', 'bearer']).then((r) => r.stdout)), 'bearer\n');
  // One token for the repository's pull scope served the manifest and the config (the layer is busybox's, here already).
  assert.deepEqual(fake.tokenRequests.map((t) => t.scope), [['repository:private/bb:pull']]);
  assert.equal(fake.tokenRequests[0].authorization, `Basic ${Buffer.from('bob:tok-pass').toString('base64')}`);
  const withToken = fake.requests.filter((r) => r.path.startsWith('/v2/private/') && r.authorization === 'Bearer tok-repository:private/bb:pull');
  assert.ok(withToken.length >= 2, JSON.stringify(fake.requests));
  const wrong = await cli(['login', '-u', 'bob', '-p', 'nope', fake.host]);
  assert.match(wrong.stderr, /Error response from daemon: unauthorized: incorrect username or password\n$/);
});
