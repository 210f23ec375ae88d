// The exec endpoints at the Engine API level: statuses and messages as dockerd's, the hijacked
// stream (101 UPGRADED, framing, raw TTY), inspect and ExecIDs, events, detach keys.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { FrameDecoder } from '../../../src/api/stdcopy.js';
import { apiRequest, importBusybox, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';

let d: BerthdHandle;
let ctr = '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function api(method: string, url: string, body?: unknown) {
  const r = await apiRequest(d.socket, method, url, {
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
  });
  const text = r.body.toString();
  return { status: r.status, headers: r.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

async function create(body: Record<string, unknown>, container = ctr): Promise<string> {
  const r = await api('POST', `/containers/${container}/exec`, body);
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json!.Id as string;
}

interface Hijacked {
  head: string;
  /** Everything after the response head, until the daemon closed the stream. */
  rest: Promise<Buffer>;
  socket: net.Socket;
}

/** POST /exec/{id}/start with Upgrade: tcp over a raw socket, as the docker CLI sends it. */
function startHijacked(id: string, body: Record<string, unknown>, version = '1.51'): Promise<Hijacked> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const socket = net.connect(d.socket);
    let buf = Buffer.alloc(0);
    let head: string | undefined;
    let done!: (b: Buffer) => void;
    const rest = new Promise<Buffer>((r) => (done = r));
    socket.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      if (head !== undefined) return;
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      head = buf.subarray(0, end).toString();
      buf = buf.subarray(end + 4);
      resolve({ head, rest, socket });
    });
    socket.on('end', () => done(buf));
    socket.on('error', reject);
    socket.write(
      `POST /v${version}/exec/${id}/start HTTP/1.1\r\nHost: api\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`,
    );
  });
}

function frames(b: Buffer): Array<{ stream: number; text: string }> {
  return new FrameDecoder().push(b).map((f) => ({ stream: f.stream, text: f.data.toString() }));
}

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
  const r = await runCli(['run', '-d', 'busybox', 'sleep', '1000'], { socket: d.socket });
  assert.equal(r.code, 0, r.stderr);
  ctr = r.stdout.trim();
});
after(async () => {
  if (d) await runCli(['rm', '-f', ctr], { socket: d.socket });
  await d?.stop();
});

test('create, inspect, detached start, ExecIDs, second start: dockerd\'s answers', async () => {
  const id = await create({ Cmd: ['sh', '-c', 'sleep 1'], AttachStdout: true, User: 'nobody' });
  assert.match(id, /^[0-9a-f]{64}$/);
  const before = await api('GET', `/exec/${id}/json`);
  assert.deepEqual(before.json, {
    ID: id, Running: false, ExitCode: null,
    ProcessConfig: { tty: false, entrypoint: 'sh', arguments: ['-c', 'sleep 1'], privileged: false, user: 'nobody' },
    OpenStdin: false, OpenStderr: false, OpenStdout: true, CanRemove: false, ContainerID: ctr, DetachKeys: '', Pid: 0,
  });
  assert.deepEqual((await api('GET', `/containers/${ctr}/json`)).json!.ExecIDs, [id]);
  const start = await api('POST', `/exec/${id}/start`, { Detach: true });
  assert.equal(start.status, 200);
  const running = (await api('GET', `/exec/${id}/json`)).json!;
  assert.equal(running.Running, true);
  assert.ok((running.Pid as number) > 0);
  const again = await api('POST', `/exec/${id}/start`, { Detach: true });
  assert.deepEqual([again.status, again.json], [409, { message: `Error: Exec command ${id} is already running` }]);
  for (;;) {
    const s = (await api('GET', `/exec/${id}/json`)).json!;
    if (!s.Running) {
      assert.equal(s.ExitCode, 0);
      assert.equal(s.Pid, running.Pid);
      break;
    }
    await sleep(50);
  }
  assert.equal((await api('GET', `/containers/${ctr}/json`)).json!.ExecIDs, null);
  const ran = await api('POST', `/exec/${id}/start`, { Detach: true });
  assert.deepEqual([ran.status, ran.json], [409, { message: `Error: Exec command ${id} has already run` }]);
});

test('errors: unknown exec 404, empty command 400, no body 400, bad detach keys 500, bad sizes 400', async () => {
  for (const [m, u] of [['GET', '/exec/nosuch/json'], ['POST', '/exec/nosuch/resize?h=1&w=1']] as const) {
    assert.deepEqual(await api(m, u).then((r) => [r.status, r.json]), [404, { message: 'No such exec instance: nosuch' }]);
  }
  assert.deepEqual(await api('POST', '/exec/nosuch/start', { Detach: true }).then((r) => [r.status, r.json]), [404, { message: 'No such exec instance: nosuch' }]);
  assert.deepEqual(await api('POST', '/containers/nosuch/exec', { Cmd: ['true'] }).then((r) => [r.status, r.json]), [404, { message: 'No such container: nosuch' }]);
  assert.deepEqual(await api('POST', `/containers/${ctr}/exec`, {}).then((r) => [r.status, r.json]), [400, { message: 'No exec command specified' }]);
  const empty = await apiRequest(d.socket, 'POST', `/containers/${ctr}/exec`, { headers: { 'Content-Type': 'application/json' } });
  assert.deepEqual([empty.status, JSON.parse(empty.body.toString())], [400, { message: 'got EOF while reading request body' }]);
  assert.deepEqual(
    await api('POST', `/containers/${ctr}/exec`, { Cmd: ['true'], DetachKeys: 'foo' }).then((r) => [r.status, r.json]),
    [500, { message: 'Invalid escape keys (foo) provided' }],
  );
  const id = await create({ Cmd: ['true'] });
  assert.deepEqual(await api('POST', `/exec/${id}/resize?h=x&w=1`).then((r) => [r.status, r.json]), [400, { message: 'strconv.Atoi: parsing "x": invalid syntax' }]);
  const nf = await create({ Cmd: ['nosuchcmd'] });
  const r = await api('POST', `/exec/${nf}/start`, { Detach: true });
  assert.equal(r.status, 400);
  assert.match(String(r.json!.message), /^OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuchcmd": executable file not found in \$PATH: unknown$/);
  const after = (await api('GET', `/exec/${nf}/json`)).json!;
  assert.deepEqual([after.Running, after.ExitCode, after.Pid], [false, 126, 0]);
});

test('attached start: 101 UPGRADED, multiplexed frames per stream, exit code recorded before the end', async () => {
  const id = await create({ Cmd: ['sh', '-c', 'echo out; echo err >&2; exit 7'], AttachStdout: true, AttachStderr: true });
  const h = await startHijacked(id, { Detach: false, Tty: false });
  assert.match(h.head, /^HTTP\/1.1 101 UPGRADED\r\n/);
  assert.match(h.head, /\r\nContent-Type: application\/vnd.docker.multiplexed-stream\r\n/);
  const body = await h.rest;
  // Inspect at once: the stream only ends after the exit is recorded.
  const s = (await api('GET', `/exec/${id}/json`)).json!;
  assert.deepEqual([s.Running, s.ExitCode], [false, 7]);
  assert.deepEqual(frames(body).sort((a, b) => a.stream - b.stream), [{ stream: 1, text: 'out\n' }, { stream: 2, text: 'err\n' }]);
  h.socket.destroy();
  // Before API 1.42 the content type is the raw stream's, framing unchanged.
  const old = await startHijacked(await create({ Cmd: ['echo', 'x'], AttachStdout: true }), { Tty: false }, '1.41');
  assert.match(old.head, /\r\nContent-Type: application\/vnd.docker.raw-stream\r\n/);
  assert.deepEqual(frames(await old.rest), [{ stream: 1, text: 'x\n' }]);
  old.socket.destroy();
});

test('streams not asked for are dropped; a failed start is written into the stream', async () => {
  const id = await create({ Cmd: ['sh', '-c', 'echo out; echo err >&2'], AttachStderr: true });
  const h = await startHijacked(id, { Tty: false });
  assert.deepEqual(frames(await h.rest), [{ stream: 2, text: 'err\n' }]);
  h.socket.destroy();
  const bad = await create({ Cmd: ['nosuchcmd'], AttachStdout: true });
  const b = await startHijacked(bad, { Tty: false });
  const [f] = frames(await b.rest);
  assert.equal(f!.stream, 1);
  assert.match(f!.text, /executable file not found in \$PATH: unknown\r\n$/);
  b.socket.destroy();
});

test('TTY: a raw stream, stdin through the pty, console size, resize, detach keys and exec_detach', async () => {
  const id = await create({ Cmd: ['sh'], Tty: true, AttachStdin: true, AttachStdout: true, AttachStderr: true, DetachKeys: 'ctrl-x,x' });
  const since = Math.floor(Date.now() / 1000) - 1;
  const h = await startHijacked(id, { Tty: true, ConsoleSize: [33, 77] });
  assert.match(h.head, /\r\nContent-Type: application\/vnd.docker.raw-stream\r\n/);
  let seen = '';
  h.socket.on('data', (c: Buffer) => (seen += c.toString()));
  const waitFor = async (re: RegExp) => {
    for (let i = 0; i < 300 && !re.test(seen); i++) await sleep(50);
    assert.match(seen, re);
  };
  h.socket.write('stty size\n');
  await waitFor(/33 77/);
  assert.equal((await api('POST', `/exec/${id}/resize?h=20&w=50`)).status, 200);
  h.socket.write('stty size\n');
  await waitFor(/20 50/);
  h.socket.write(Buffer.from([24, 120])); // ctrl-x x
  await h.rest;
  const s = (await api('GET', `/exec/${id}/json`)).json!;
  assert.equal(s.Running, true, 'detaching leaves the exec running');
  const ev = await apiRequest(d.socket, 'GET', `/events?since=${since}&until=${Math.ceil(Date.now() / 1000) + 1}`);
  assert.match(ev.body.toString(), new RegExp(`"Action":"exec_detach","Actor":\\{"ID":"${ctr}","Attributes":\\{"execID":"${id}"`));
  h.socket.destroy();
  // The shell still runs; a resize of it is still fine (and of a non-TTY exec a no-op).
  assert.equal((await api('POST', `/exec/${id}/resize?h=10&w=10`)).status, 200);
  process.kill(s.Pid as number, 'SIGKILL');
});

test('events: exec_create, exec_start, exec_die with the exit code, as dockerd emits them', async () => {
  const since = Math.floor(Date.now() / 1000) - 1;
  const id = await create({ Cmd: ['sh', '-c', 'exit 4'], AttachStdout: true });
  const h = await startHijacked(id, { Tty: false });
  await h.rest;
  h.socket.destroy();
  const ev = await apiRequest(d.socket, 'GET', `/events?since=${since}&until=${Math.ceil(Date.now() / 1000) + 1}&filters=${encodeURIComponent(JSON.stringify({ event: ['exec_create', 'exec_start', 'exec_die'] }))}`);
  const mine = ev.body.toString().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { Action: string; Actor: { ID: string; Attributes: Record<string, string> } })
    .filter((e) => e.Actor.Attributes.execID === id);
  assert.deepEqual(mine.map((e) => e.Action), ['exec_create: sh -c exit 4', 'exec_start: sh -c exit 4', 'exec_die']);
  assert.equal(mine[2]!.Actor.Attributes.exitCode, '4');
  assert.equal(mine[0]!.Actor.ID, ctr);
});

test('start and resize refuse once the container stopped; its removal drops the execs', async () => {
  const r = await runCli(['run', '-d', 'busybox', 'sleep', '1000'], { socket: d.socket });
  const c2 = r.stdout.trim();
  const id = await create({ Cmd: ['true'] }, c2);
  assert.equal((await runCli(['kill', c2], { socket: d.socket })).code, 0);
  while (((await api('GET', `/containers/${c2}/json`)).json!.State as { Running: boolean }).Running) await sleep(50);
  const s = await api('POST', `/exec/${id}/start`, { Detach: true });
  assert.equal(s.status, 500);
  assert.match(String(s.json!.message), new RegExp(`^Container ${c2} is not running: Exited \\(137\\) .* ago$`));
  assert.equal((await api('POST', `/containers/${c2}/exec`, { Cmd: ['true'] })).json!.message, `Container ${c2} is not running`);
  assert.equal((await api('GET', `/exec/${id}/json`)).status, 200);
  const rm = await runCli(['rm', c2], { socket: d.socket });
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal((await api('GET', `/exec/${id}/json`)).status, 404);
});

test('a restarting container is refused in dockerd\'s words', async () => {
  const r = await runCli(['run', '-d', '--restart', 'always', 'busybox', 'false'], { socket: d.socket });
  assert.equal(r.code, 0, r.stderr);
  const id = r.stdout.trim();
  try {
    // Between its exits and restarts (a growing back-off) it is "restarting"; look until seen (bounded).
    let message = '';
    for (let i = 0; i < 200 && !message.includes('restarting'); i++) {
      message = String((await api('POST', `/containers/${id}/exec`, { Cmd: ['true'] })).json?.message ?? '');
      if (!message.includes('restarting')) await sleep(25);
    }
    assert.equal(message, `Container ${id} is restarting, wait until the container is running`);
  } finally {
    await runCli(['rm', '-f', id], { socket: d.socket });
  }
});
