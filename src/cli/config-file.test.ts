import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authKey, encodeRegistryAuth, eraseCredentials, loadCredentials, registryAuthFor, storeCredentials } from './config-file.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'berth-cfg-'));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

test("credentials are stored in Docker's schema, 0600 in a 0700 directory, other keys kept", async () => {
  const root = tmp();
  const dir = path.join(root, '.berth');
  mkdirSync(dir, { mode: 0o700 });
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ psFormat: 'table {{.ID}}' }));
  assert.equal(await storeCredentials(dir, { username: 'alice', password: 'secret', serveraddress: '127.0.0.1:5000' }), true);
  assert.equal(await storeCredentials(dir, { username: 'alice', password: 'secret', serveraddress: '127.0.0.1:5000' }), false);
  const file = path.join(dir, 'config.json');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  const text = readFileSync(file, 'utf8');
  assert.deepEqual(JSON.parse(text), { psFormat: 'table {{.ID}}', auths: { '127.0.0.1:5000': { auth: 'YWxpY2U6c2VjcmV0' } } });
  assert.match(text, /^{\n\t"psFormat"/);
  assert.deepEqual(await loadCredentials(dir, {}, '127.0.0.1:5000'), { username: 'alice', password: 'secret', identitytoken: undefined, serveraddress: '127.0.0.1:5000' });
  assert.equal(await eraseCredentials(dir, ['127.0.0.1:5000', 'http://127.0.0.1:5000']), true);
  assert.equal(await loadCredentials(dir, {}, '127.0.0.1:5000'), undefined);
});

test("Docker's config.json is read when berth's has nothing; keys with schemes match their host", async () => {
  const root = tmp();
  const dockerDir = path.join(root, 'docker');
  mkdirSync(dockerDir);
  writeFileSync(path.join(dockerDir, 'config.json'), JSON.stringify({ auths: { 'https://reg.example:5000': { auth: Buffer.from('bob:pw').toString('base64') } } }));
  const creds = await loadCredentials(path.join(root, 'none'), { DOCKER_CONFIG: dockerDir }, 'reg.example:5000');
  assert.equal(creds?.username, 'bob');
  const header = await registryAuthFor(path.join(root, 'none'), { DOCKER_CONFIG: dockerDir }, 'reg.example:5000');
  assert.deepEqual(JSON.parse(Buffer.from(header, 'base64').toString()), { username: 'bob', password: 'pw', serveraddress: 'reg.example:5000' });
});

test('X-Registry-Auth is URL-safe base64 with padding; anonymous is {}', () => {
  assert.equal(encodeRegistryAuth(undefined), 'e30=');
  assert.doesNotMatch(encodeRegistryAuth({ username: '?>?>', password: '~~~', serveraddress: 'x' }), /[+/]/);
  assert.equal(authKey('docker.io'), 'https://index.docker.io/v1/');
  assert.equal(authKey('127.0.0.1:5000'), '127.0.0.1:5000');
});
