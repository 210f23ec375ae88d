// berth events / GET /events against a real berthd: history with since/until, filters, formats, live streaming.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { apiRequest, importBusybox, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';

let d: BerthdHandle;
const cli = (...args: string[]) => runCli(args, { socket: d.socket });
const now = () => (Date.now() / 1000).toFixed(9);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let since = '';
let until = '';
let idA = '';
let idB = '';
let imageId = '';

async function ok(...args: string[]): Promise<string> {
  const r = await cli(...args);
  assert.equal(r.code, 0, `berth ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  d = await startBerthd();
  imageId = await importBusybox(d.socket);
  since = now();
  await sleep(20);
  const a = await cli('run', '--name', 'ev-a', '--label', 'team=blue', '--label', 'tier=db', 'busybox', 'sh', '-c', 'exit 3');
  assert.equal(a.code, 3, a.stderr);
  idA = (await ok('inspect', '--format', '{{.Id}}', 'ev-a')).trim();
  await ok('rename', 'ev-a', 'ev-a2');
  await ok('rm', 'ev-a2');
  await ok('tag', 'busybox', 'ev-img:v1');
  await ok('rmi', 'ev-img:v1');
  idB = (await ok('run', '-d', '--name', 'ev-b', 'busybox', 'sleep', '100')).trim();
  await ok('kill', 'ev-b');
  await ok('rm', 'ev-b');
  await sleep(20);
  until = now();
});
after(async () => d?.stop());

/** "<time> <type> <action> <id> (attrs)" lines, with the time checked and dropped. */
function parseLines(out: string): string[] {
  return out
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}(?:Z|[+-]\d\d:\d\d)) (.*)$/.exec(l);
      assert.ok(m, `line has docker's timestamp: ${l}`);
      return m[2]!;
    });
}

test('berth events --since --until replays the history in docker’s line format and ends', async () => {
  const lines = parseLines(await ok('events', '--since', since, '--until', until));
  assert.deepEqual(lines, [
    `container create ${idA} (image=busybox, name=ev-a, team=blue, tier=db)`,
    `container start ${idA} (image=busybox, name=ev-a, team=blue, tier=db)`,
    `container die ${idA} (exitCode=3, image=busybox, name=ev-a, team=blue, tier=db)`,
    `container rename ${idA} (image=busybox, name=ev-a2, oldName=/ev-a, team=blue, tier=db)`,
    `container destroy ${idA} (image=busybox, name=ev-a2, team=blue, tier=db)`,
    `image tag ${imageId} (name=ev-img:v1)`,
    `image untag ${imageId} (name=${imageId})`,
    `container create ${idB} (image=busybox, name=ev-b)`,
    `container start ${idB} (image=busybox, name=ev-b)`,
    `container kill ${idB} (image=busybox, name=ev-b, signal=9)`,
    `container die ${idB} (exitCode=137, image=busybox, name=ev-b)`,
    `container destroy ${idB} (image=busybox, name=ev-b)`,
  ]);
});

test('filters: event, container (name prefix), type, image, label; repeated keys are OR, different keys AND', async () => {
  const actions = async (...filters: string[]) =>
    (await ok('events', '--since', since, '--until', until, '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}', ...filters.flatMap((f) => ['--filter', f])))
      .trimEnd()
      .split('\n')
      .filter(Boolean);
  assert.deepEqual(await actions('event=die'), ['container die ev-a', 'container die ev-b']);
  assert.deepEqual(await actions('container=ev-b', 'event=start', 'event=kill'), ['container start ev-b', 'container kill ev-b']);
  assert.deepEqual(await actions(`container=${idA.slice(0, 12)}`, 'event=destroy'), ['container destroy ev-a2']);
  assert.deepEqual(await actions('type=image'), ['image tag ev-img:v1', `image untag ${imageId}`]);
  assert.deepEqual(await actions('label=team=blue', 'event=create'), ['container create ev-a']);
  assert.deepEqual(await actions('label=team=red'), []);
  assert.equal((await actions('image=busybox')).length, 10);
  assert.deepEqual(await actions('image=ev-img', 'type=image'), ['image tag ev-img:v1']);
});

test('--format json and {{json .}} print dockerd’s message with legacy fields', async () => {
  for (const format of ['json', '{{json .}}']) {
    const out = await ok('events', '--since', since, '--until', until, '--filter', 'event=die', '--format', format);
    const lines = out.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    const m = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.deepEqual(Object.keys(m), ['status', 'id', 'from', 'Type', 'Action', 'Actor', 'scope', 'time', 'timeNano']);
    assert.equal(m.status, 'die');
    assert.equal(m.id, idA);
    assert.equal(m.from, 'busybox');
    assert.match(lines[0]!, /"timeNano":\d{19}\}$/);
  }
});

test('bad input: template, filter, time (docker’s messages and exit codes)', async () => {
  const tpl = await cli('events', '--since', since, '--until', until, '--format', '{{.bad}}');
  assert.equal(tpl.code, 64);
  assert.match(tpl.stderr, /Error parsing format: template: :1:2: executing "" at <\.bad>: can't evaluate field bad in type \*events\.Message/);
  const flt = await cli('events', '--filter', 'foo');
  assert.equal(flt.code, 125);
  assert.match(flt.stderr, /invalid argument "foo" for "-f, --filter" flag: bad format of filter \(expected name=value\)/);
  const tm = await cli('events', '--since', 'xyz');
  assert.equal(tm.code, 1);
  assert.match(tm.stderr, /failed to parse value as time or duration: "xyz"/);
});

test('GET /events: NDJSON history, RFC 3339 since, 400 for since after until and bad filters', async () => {
  const iso = new Date(Math.ceil(Number(since) * 1000)).toISOString(); // e.g. 2026-11-22T14:00:00.123Z
  const r = await apiRequest(d.socket, 'GET', `/v1.41/events?since=${encodeURIComponent(iso)}&until=${until}&filters=${encodeURIComponent('{"type":["image"]}')}`);
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/json');
  const events = r.body.toString().trimEnd().split('\n').map((l) => JSON.parse(l) as { Action: string });
  assert.deepEqual(events.map((e) => e.Action), ['tag', 'untag']);
  const nd = await apiRequest(d.socket, 'GET', `/v1.41/events?since=${since}&until=${until}`, { headers: { Accept: 'application/x-ndjson' } });
  assert.equal(nd.headers['content-type'], 'application/x-ndjson');
  const bad = await apiRequest(d.socket, 'GET', `/v1.41/events?since=${until}&until=${since}`);
  assert.equal(bad.status, 400);
  assert.match(JSON.parse(bad.body.toString()).message, /^`since` time \(.*\) cannot be after `until` time/);
  const badFilter = await apiRequest(d.socket, 'GET', `/v1.41/events?until=${until}&filters=notjson`);
  assert.equal(badFilter.status, 400);
  const v152 = await apiRequest(d.socket, 'GET', `/v1.52/events?since=${since}&until=${until}&filters=${encodeURIComponent('{"event":["die"]}')}`);
  if (v152.status === 200) assert.ok(!v152.body.toString().includes('"status"'), 'API 1.52 drops the legacy fields');
});

test('live: berth events streams new events as they happen and stops at a future --until', async () => {
  const end = (Date.now() / 1000 + 4).toFixed(3);
  const started = Date.now();
  const stream = cli('events', '--until', end, '--filter', 'container=ev-live', '--format', '{{.Action}}');
  await sleep(1000);
  const r = await cli('run', '--rm', '--name', 'ev-live', 'busybox', 'true');
  assert.equal(r.code, 0, r.stderr);
  const out = await stream;
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(out.stdout.trimEnd().split('\n'), ['create', 'start', 'die', 'destroy']);
  assert.ok(Date.now() - started >= 3000, 'ran until --until');
});

test('a live API stream gets each event flushed at once', async () => {
  const http = await import('node:http');
  const lines: string[] = [];
  let res: import('node:http').IncomingMessage | undefined;
  const req = http.request({ socketPath: d.socket, path: `/v1.41/events?filters=${encodeURIComponent('{"container":["ev-flush"]}')}` }, (r) => {
    res = r;
    r.on('data', (c: Buffer) => lines.push(...c.toString().split('\n').filter(Boolean)));
  });
  req.end();
  await sleep(300);
  await ok('create', '--name', 'ev-flush', 'busybox', 'true');
  for (let i = 0; i < 50 && lines.length < 1; i++) await sleep(20);
  assert.equal(lines.length, 1, 'create arrived while the stream stays open');
  assert.equal((JSON.parse(lines[0]!) as { Action: string }).Action, 'create');
  await ok('rm', 'ev-flush');
  for (let i = 0; i < 50 && lines.length < 2; i++) await sleep(20);
  assert.equal((JSON.parse(lines[1]!) as { Action: string }).Action, 'destroy');
  res?.destroy();
  req.destroy();
});
