// --log-driver / --log-opt: refused with Docker's words before anything is created; logs --details.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder } from '../../../src/api/stdcopy.js';
import { apiRequest, importBusybox, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';
import { until } from './helpers.js';

let d: BerthdHandle;
const cli = (...args: string[]) => runCli(args, { socket: d.socket });

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => d?.stop());

const count = async () => (JSON.parse((await apiRequest(d.socket, 'GET', '/containers/json?all=1')).body.toString()) as unknown[]).length;

test('invalid log drivers and options: 400 with Docker\'s message, and nothing is created', async () => {
  const init = 'failed to initialize logging driver: ';
  const cases: Array<[unknown, string]> = [
    [{ Type: 'bogus', Config: {} }, 'error looking up logging plugin bogus: plugin "bogus" not found'],
    [{ Type: 'json-file', Config: { foo: 'bar' } }, "unknown log opt 'foo' for json-file log driver"],
    [{ Type: 'local', Config: { labels: 'a' } }, "unknown log opt 'labels' for log driver local"],
    [{ Type: 'json-file', Config: { 'max-size': 'abc' } }, `${init}invalid size: 'abc'`],
    [{ Type: '', Config: { 'max-size': '0' } }, `${init}max-size must be a positive number`],
    [{ Type: 'json-file', Config: { 'max-file': '0' } }, `${init}max-file cannot be less than 1`],
    [{ Type: 'json-file', Config: { 'max-size': '1m', 'max-file': 'x' } }, `${init}strconv.Atoi: parsing "x": invalid syntax`],
    [{ Type: 'json-file', Config: { compress: 'true' } }, `${init}compress cannot be true when max-file is less than 2 or max-size is not set`],
    [{ Type: 'json-file', Config: { 'env-regex': '(' } }, `${init}error parsing regexp: missing closing ): \`(\``],
    [{ Type: 'local', Config: { 'max-size': 'abc' } }, `${init}invalid value for max-size: abc: invalid size: 'abc'`],
  ];
  const before = await count();
  for (const [LogConfig, message] of cases) {
    const body = JSON.stringify({ Image: 'busybox', Cmd: ['true'], HostConfig: { LogConfig } });
    const res = await apiRequest(d.socket, 'POST', '/containers/create?name=refused', { body, headers: { 'Content-Type': 'application/json' } });
    assert.equal(res.status, 400, JSON.stringify(LogConfig));
    assert.deepEqual(JSON.parse(res.body.toString()), { message });
  }
  assert.equal(await count(), before, 'no container was created');

  const run = await cli('run', '--rm', '--log-opt', 'max-size=abc', 'busybox', 'true');
  assert.equal(run.code, 125);
  assert.equal(run.stderr, `berth: Error response from daemon: ${init}invalid size: 'abc'\n\nRun 'berth run --help' for more information\n`);
  const none = await cli('run', '--log-driver', 'none', '--log-opt', 'max-size=1m', 'busybox', 'true');
  assert.equal(none.code, 125);
  assert.match(none.stderr, /^berth: invalid logging opts for driver none\n/);
  assert.equal(await count(), before, 'no container was created');
});

test('accepted options are stored as given; drivers json-file, local and k8s-file all keep a readable log', async () => {
  for (const driver of ['json-file', 'local', 'k8s-file']) {
    const r = await cli('run', '--name', `drv-${driver}`, '--log-driver', driver, '--log-opt', 'max-file=2', 'busybox', 'echo', driver);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await cli('logs', `drv-${driver}`)).stdout, `${driver}\n`);
    const cfg = await cli('inspect', '--format', '{{json .HostConfig.LogConfig}}', `drv-${driver}`);
    assert.deepEqual(JSON.parse(cfg.stdout), { Type: driver, Config: { 'max-file': '2' } });
    assert.equal((await cli('rm', `drv-${driver}`)).code, 0);
  }
});

test('logs --details: a leading space without attributes; labels, env, their regexes and tag, sorted and escaped', async () => {
  const plain = (await cli('run', '-d', 'busybox', 'sh', '-c', 'echo hi; echo err >&2; printf partial')).stdout.trim();
  await until('the output', async () => (await cli('logs', plain)).stdout.includes('partial'));
  const p = await cli('logs', '--details', plain);
  assert.equal(p.stdout, ' hi\n partial');
  assert.equal(p.stderr, ' err\n');
  const tagged = await cli(
    'run', '-d', '--name', 'detailed',
    '--label', 'a=1', '--label', 'b=2', '--label', 'c=3', '--label', 'a/b=x y&z,',
    '-e', 'X=x1', '-e', 'Y=y1', '-e', 'BZ=bz',
    '--log-opt', 'labels=b,a,a/b', '--log-opt', 'labels-regex=^c', '--log-opt', 'env=Y,X', '--log-opt', 'env-regex=^B',
    '--log-opt', 'tag={{.Name}}/{{.ImageName}}',
    'busybox', 'echo', 'hi',
  );
  assert.equal(tagged.code, 0, tagged.stderr);
  await until('the output', async () => (await cli('logs', 'detailed')).stdout === 'hi\n');
  const attrs = 'BZ=bz,X=x1,Y=y1,a=1,a%2Fb=x+y%26z%2C,b=2,c=3,tag=detailed%2Fbusybox';
  assert.equal((await cli('logs', '--details', 'detailed')).stdout, `${attrs} hi\n`);
  assert.match((await cli('logs', '--details', '-t', 'detailed')).stdout, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z ${attrs.replace(/[+%]/g, '\\$&')} hi\\n$`));
  // The API: details=1 with the docker CLI's framing.
  const res = await apiRequest(d.socket, 'GET', '/containers/detailed/logs?stdout=1&details=1');
  assert.deepEqual(new FrameDecoder().push(res.body).map((f) => [f.stream, f.data.toString()]), [[1, `${attrs} hi\n`]]);
  assert.equal((await cli('rm', '-f', plain, 'detailed')).code, 0);
});

test('info names the driver a container gets by default', async () => {
  const info = JSON.parse((await apiRequest(d.socket, 'GET', '/info')).body.toString()) as { LoggingDriver: string; Plugins: { Log: string[] } };
  const id = (await cli('create', 'busybox', 'true')).stdout.trim();
  const type = (await cli('inspect', '--format', '{{.HostConfig.LogConfig.Type}}', id)).stdout.trim();
  assert.equal(info.LoggingDriver, type);
  assert.ok(info.Plugins.Log.includes(type));
  assert.equal((await cli('rm', id)).code, 0);
});

test('logs give back the container\'s bytes as written, not only UTF-8', async () => {
  const run = await cli('run', '--name', 'binary-out', 'busybox', 'printf', '\\377\\376 caf\\303\\251\\n');
  assert.equal(run.code, 0, run.stderr);
  const res = await apiRequest(d.socket, 'GET', '/containers/binary-out/logs?stdout=1&timestamps=1');
  assert.equal(res.status, 200);
  // One frame: 8-byte header, then a timestamp, a space and the raw bytes.
  const payload = res.body.subarray(8);
  const raw = payload.subarray(payload.indexOf(0x20) + 1);
  assert.deepEqual([...raw], [0xff, 0xfe, 0x20, 0x63, 0x61, 0x66, 0xc3, 0xa9, 0x0a]);
  assert.equal((await cli('rm', 'binary-out')).code, 0);
});
