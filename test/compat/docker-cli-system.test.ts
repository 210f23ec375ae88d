// The real docker CLI v28 against berthd (version, info), the Engine API's version negotiation and ping
// headers, and the same ping headers from the reference dockerd 20.10.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiRequest, type ApiResponse } from '../helpers/daemon.js';
import { compatDaemons, show } from './differential.js';

const env = compatDaemons({ reference: true });

function json(r: ApiResponse): Record<string, unknown> {
  assert.match(String(r.headers['content-type']), /^application\/json/, `JSON content type: ${String(r.headers['content-type'])}`);
  return JSON.parse(r.body.toString()) as Record<string, unknown>;
}

/** The lines of one top-level section ("Client:" / "Server: …") of `docker version` or `docker info`. */
function section(out: string, title: 'Client' | 'Server'): string[] {
  const lines = out.split('\n');
  const start = lines.findIndex((l) => l === `${title}:` || l.startsWith(`${title}: `));
  assert.ok(start >= 0, `a "${title}:" section in:\n${out}`);
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => l !== '' && !l.startsWith(' '));
  return (end < 0 ? rest : rest.slice(0, end)).filter((l) => l !== '');
}

/** `Key: value` at one indentation level of a section (one leading space = top level). */
function fields(lines: string[], indent = 1): Map<string, string> {
  const m = new Map<string, string>();
  const re = new RegExp(`^ {${indent}}(\\S[^:]*):\\s*(.*)$`);
  for (const l of lines) {
    const x = re.exec(l);
    if (x) m.set(x[1]!, x[2]!);
  }
  return m;
}

/** The lines of one component (" Engine:") of the Server section of `docker version`. */
function component(server: string[], name: string): string[] {
  const start = server.indexOf(` ${name}:`);
  assert.ok(start >= 0, `a "${name}" component in:\n${server.join('\n')}`);
  const rest = server.slice(start + 1);
  const end = rest.findIndex((l) => !l.startsWith('  '));
  return end < 0 ? rest : rest.slice(0, end);
}

// ------------------------------------------------------------------------------------------- version

test('docker version: exit 0, a Server section with API version 1.51 (minimum 1.24)', async () => {
  const r = await env.docker(env.berth, ['version']);
  assert.deepEqual({ code: r.code, stderr: r.stderr }, { code: 0, stderr: '' }, show(r));
  const engine = fields(component(section(r.stdout, 'Server'), 'Engine'), 2);
  assert.equal(engine.get('API version'), '1.51 (minimum version 1.24)');
  for (const k of ['Version', 'Go version', 'Git commit', 'Built', 'OS/Arch', 'Experimental']) {
    assert.ok(engine.has(k), `Engine has "${k}"`);
  }
  assert.equal(engine.get('OS/Arch'), `linux/${process.arch === 'x64' ? 'amd64' : process.arch}`);
  assert.equal(engine.get('Experimental'), 'false');
  // The v28.2 CLI speaks at most 1.50 and negotiates down to it, without a "downgraded" note: 1.50 ≤ 1.51.
  assert.equal(fields(section(r.stdout, 'Client')).get('API version'), '1.50');

  // The same shape from dockerd (its own versions).
  const ref = await env.docker(env.ref(), ['version']);
  assert.deepEqual({ code: ref.code, stderr: ref.stderr }, { code: 0, stderr: '' }, show(ref));
  const refEngine = fields(component(section(ref.stdout, 'Server'), 'Engine'), 2);
  assert.match(refEngine.get('API version') ?? '', /^1\.\d+ \(minimum version 1\.\d+\)$/);
  assert.deepEqual([...engine.keys()].sort(), [...refEngine.keys()].sort(), 'the Engine lines');
});

test("docker version --format '{{.Server.APIVersion}}' prints 1.51", async () => {
  const r = await env.docker(env.berth, ['version', '--format', '{{.Server.APIVersion}}']);
  assert.deepEqual({ code: r.code, stdout: r.stdout, stderr: r.stderr }, { code: 0, stdout: '1.51\n', stderr: '' });
  const min = await env.docker(env.berth, ['version', '--format', '{{.Server.MinAPIVersion}} {{.Server.Os}} {{.Client.APIVersion}}']);
  assert.equal(min.stdout, '1.24 linux 1.50\n');
  const ref = await env.docker(env.ref(), ['version', '--format', '{{.Server.APIVersion}}']);
  assert.match(ref.stdout, /^1\.\d+\n$/, show(ref));
});

// ---------------------------------------------------------------------------------------------- info

test('docker info: exit 0, nothing on stderr, no server errors, the same Server fields as dockerd', async () => {
  const r = await env.docker(env.berth, ['info']);
  assert.equal(r.code, 0, show(r));
  assert.equal(r.stderr, '', 'no errors or warnings (e.g. about parsing the reply)');
  assert.doesNotMatch(r.stdout, /ERROR|WARNING|failed/i);
  const errs = await env.docker(env.berth, ['info', '--format', '{{json .ServerErrors}}']);
  assert.equal(errs.stdout, 'null\n', 'ServerErrors');

  const ref = await env.docker(env.ref(), ['info']);
  assert.deepEqual({ code: ref.code, stderr: ref.stderr }, { code: 0, stderr: '' }, show(ref));
  const mine = fields(section(r.stdout, 'Server'));
  const theirs = fields(section(ref.stdout, 'Server'));
  const missing = [...theirs.keys()].filter((k) => !mine.has(k));
  assert.deepEqual(missing, [], 'Server fields dockerd prints and berth does not');
  assert.equal(mine.get('OSType'), 'linux');
  assert.match(mine.get('Containers') ?? '', /^\d+$/);
  assert.match(mine.get('Images') ?? '', /^\d+$/);
  assert.equal(mine.get('Docker Root Dir'), env.berthd().dataRoot);
});

// --------------------------------------------------------------------------------------- raw API

const PING_HEADERS = ['api-version', 'ostype', 'docker-experimental', 'cache-control', 'pragma'];

test('HEAD and GET /_ping: 200 with Api-Version 1.51, Ostype, Builder-Version, Docker-Experimental', async () => {
  for (const method of ['HEAD', 'GET']) {
    const r = await apiRequest(env.berth, method, '/_ping');
    assert.equal(r.status, 200, method);
    assert.equal(r.headers['api-version'], '1.51', method);
    assert.equal(r.headers['ostype'], 'linux', method);
    assert.equal(r.headers['docker-experimental'], 'false', method);
    assert.match(String(r.headers['builder-version']), /^[12]$/, `${method}: Builder-Version`);
    assert.equal(r.headers['cache-control'], 'no-cache, no-store, must-revalidate', method);
    assert.equal(r.headers['pragma'], 'no-cache', method);
    assert.match(String(r.headers['content-type']), /^text\/plain; charset=utf-8$/, method);
    assert.equal(r.body.toString(), method === 'GET' ? 'OK' : '', method);
  }
  // Versioned paths answer too.
  const v = await apiRequest(env.berth, 'GET', '/v1.51/_ping');
  assert.deepEqual([v.status, v.body.toString()], [200, 'OK']);
});

test('the reference dockerd sends the same ping headers (but Builder-Version, which 20.10 only sends with BuildKit)', async () => {
  for (const method of ['HEAD', 'GET']) {
    const ref = await apiRequest(env.ref(), method, '/_ping');
    const berth = await apiRequest(env.berth, method, '/_ping');
    assert.equal(ref.status, 200, method);
    for (const h of PING_HEADERS) {
      assert.ok(ref.headers[h] !== undefined, `${method}: dockerd sends ${h}`);
      assert.ok(berth.headers[h] !== undefined, `${method}: berth sends ${h}`);
    }
    assert.equal(berth.headers['ostype'], ref.headers['ostype']);
    assert.equal(berth.headers['docker-experimental'], ref.headers['docker-experimental']);
    assert.equal(berth.headers['content-type'], ref.headers['content-type']);
    assert.equal(berth.body.toString(), ref.body.toString(), `${method} body`);
  }
});

test('GET /v1.52/version: 400 "client version 1.52 is too new. Maximum supported API version is 1.51"', async () => {
  const r = await apiRequest(env.berth, 'GET', '/v1.52/version');
  assert.equal(r.status, 400);
  assert.deepEqual(json(r), { message: 'client version 1.52 is too new. Maximum supported API version is 1.51' });
  assert.equal(r.headers['api-version'], '1.51');
  // dockerd answers the same way for a version above its own maximum (1.41).
  const ref = await apiRequest(env.ref(), 'GET', '/v1.52/version');
  assert.equal(ref.status, 400);
  assert.match(String(json(ref).message), /^client version 1\.52 is too new\. Maximum supported API version is 1\.\d+$/);
});

test('GET /v1.23/version: 400 "client version 1.23 is too old. Minimum supported API version is 1.24, …"', async () => {
  const r = await apiRequest(env.berth, 'GET', '/v1.23/version');
  assert.equal(r.status, 400);
  assert.deepEqual(json(r), {
    message: 'client version 1.23 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version',
  });
  // (dockerd 20.10's minimum is 1.12, so it serves /v1.23/: nothing to compare there.)
});

test('GET /v1.24/containers/json works (the oldest supported version)', async () => {
  const r = await apiRequest(env.berth, 'GET', '/v1.24/containers/json?all=1');
  assert.equal(r.status, 200, r.body.toString());
  assert.ok(Array.isArray(JSON.parse(r.body.toString())));
  const v = await apiRequest(env.berth, 'GET', '/v1.24/version');
  assert.equal(v.status, 200);
  assert.equal((JSON.parse(v.body.toString()) as { ApiVersion?: string }).ApiVersion, '1.51');
});

test('an unknown path is a 404 with a JSON message, like dockerd', async () => {
  for (const p of ['/nope', '/v1.51/nope/x', '/v1.41/containers/x/nope']) {
    const r = await apiRequest(env.berth, 'GET', p);
    const ref = await apiRequest(env.ref(), 'GET', p);
    assert.equal(ref.status, 404, `dockerd ${p}`);
    assert.equal(r.status, 404, `berth ${p}: ${r.body.toString()}`);
    assert.deepEqual(json(r), json(ref), p);
    assert.deepEqual(json(r), { message: 'page not found' }, p);
  }
});
