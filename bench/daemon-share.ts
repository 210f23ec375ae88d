// The daemon's own share of `docker run --rm busybox true`: the same API calls the docker CLI makes, from an
// already-running (warm) Node client, so CLI start-up is not in the figures.
//
//   node dist/bench/daemon-share.js --socket /path/to/berth.sock [--runs 30] [--warmup 3]
//        [--network none] [--image busybox] [--json out.json] [--label berthd]
//
// Works against any Engine-API daemon (berthd or dockerd). Per iteration, as the CLI does for `run --rm`:
//   1. POST /containers/create              (AutoRemove, AttachStdout/Stderr, Cmd ["true"])
//   2. POST /containers/{id}/attach?stream=1&stdout=1&stderr=1   (hijacked: Upgrade: tcp; wait for 101)
//   3. POST /containers/{id}/wait?condition=removed               (wait for the response headers)
//   4. POST /containers/{id}/start
//   5. read the wait body ({"StatusCode":0}) and the end of the attach stream
// Reported per step (median / p90 / min / max, ms):
//   create        request sent → 201 body read
//   attach        request sent → 101 received
//   wait-hdr      wait request sent → response headers
//   start         request sent → 204
//   start→wait    start's 204 → wait body read (container ran, exited, was removed)
//   start→eof     start's 204 → attach stream closed by the daemon
//   total         create sent → both wait body and attach EOF
// Every request has a timeout and the run count is capped, so a stuck daemon fails the run instead of
// hanging it.
import http from 'node:http';
import type { Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

interface Options {
  socket: string;
  runs: number;
  warmup: number;
  network?: string;
  image: string;
  json?: string;
  label: string;
  timeoutMs: number;
}

const STEPS = ['create', 'attach', 'wait-hdr', 'start', 'start→wait', 'start→eof', 'total'] as const;
type Step = (typeof STEPS)[number];
type Sample = Record<Step, number>;

function usage(msg?: string): never {
  if (msg) process.stderr.write(`daemon-share: ${msg}\n`);
  process.stderr.write(
    'usage: node dist/bench/daemon-share.js [--socket PATH] [--runs N] [--warmup N] [--network MODE] [--image REF] [--json FILE] [--label TEXT]\n' +
      '  the socket defaults to BERTH_HOST, then DOCKER_HOST (unix:// only)\n',
  );
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const hostEnv = process.env.BERTH_HOST || process.env.DOCKER_HOST || '';
  const opts: Options = {
    socket: hostEnv.startsWith('unix://') ? hostEnv.slice('unix://'.length) : '',
    runs: 30,
    warmup: 3,
    image: 'busybox',
    label: '',
    timeoutMs: 30_000,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = (): string => inline ?? argv[++i] ?? usage(`${flag} needs a value`);
    const int = (min: number, max: number): number => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < min || n > max) usage(`${flag} must be an integer in [${min}, ${max}]`);
      return n;
    };
    switch (flag) {
      case '--socket': opts.socket = value().replace(/^unix:\/\//, ''); break;
      case '--runs': opts.runs = int(1, 1000); break;
      case '--warmup': opts.warmup = int(0, 100); break;
      case '--network': opts.network = value(); break;
      case '--image': opts.image = value(); break;
      case '--json': opts.json = value(); break;
      case '--label': opts.label = value(); break;
      case '--timeout-ms': opts.timeoutMs = int(100, 600_000); break;
      case '-h': case '--help': usage();
      default: usage(`unknown flag ${flag}`);
    }
  }
  if (!opts.socket) usage('no socket: pass --socket or set BERTH_HOST/DOCKER_HOST=unix://…');
  opts.label ||= opts.socket;
  return opts;
}

// A warm client: keep-alive connections are reused for create/start/wait across iterations.
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

interface Response {
  status: number;
  headersAt: number;
  body: Promise<{ text: string; at: number }>;
}

/** Sends a request; resolves when the response headers arrive; `body` resolves when it has been read. */
function request(o: Options, method: string, path: string, body?: unknown): Promise<Response> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      {
        socketPath: o.socket,
        agent,
        method,
        path,
        headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {},
      },
      (res) => {
        const headersAt = performance.now();
        const chunks: Buffer[] = [];
        const bodyDone = new Promise<{ text: string; at: number }>((res2, rej2) => {
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => res2({ text: Buffer.concat(chunks).toString(), at: performance.now() }));
          res.on('error', rej2);
          res.on('aborted', () => rej2(new Error(`${method} ${path}: response aborted`)));
        });
        bodyDone.catch(() => {}); // observed by the caller; avoid an unhandled rejection in between
        resolve({ status: res.statusCode ?? 0, headersAt, body: bodyDone });
      },
    );
    req.setTimeout(o.timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer within ${o.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** POST …/attach hijacked like the docker CLI does; resolves at the 101 with a promise of stream EOF. */
function attach(o: Options, id: string): Promise<{ at: number; eof: Promise<{ at: number; bytes: number }> }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      socketPath: o.socket,
      agent: false, // the hijacked connection is never reused
      method: 'POST',
      path: `/containers/${id}/attach?stream=1&stdout=1&stderr=1`,
      headers: { Connection: 'Upgrade', Upgrade: 'tcp', 'Content-Type': 'text/plain' },
    });
    const onStream = (sock: Socket, head: Buffer, at: number) => {
      let bytes = head.length;
      const eof = new Promise<{ at: number; bytes: number }>((res2, rej2) => {
        const timer = setTimeout(() => {
          sock.destroy();
          rej2(new Error(`attach ${id}: stream not closed within ${o.timeoutMs} ms`));
        }, o.timeoutMs);
        sock.on('data', (c: Buffer) => (bytes += c.length));
        sock.on('error', (err) => {
          clearTimeout(timer);
          rej2(err);
        });
        sock.on('close', () => {
          clearTimeout(timer);
          res2({ at: performance.now(), bytes });
        });
        sock.resume();
      });
      eof.catch(() => {});
      resolve({ at, eof });
    };
    req.on('upgrade', (res, sock, head) => {
      const at = performance.now();
      sock.end(); // stdin is not attached: half-close our side, as the CLI does without -i
      onStream(sock, head, at);
    });
    req.on('response', (res) => {
      // A daemon that answers 200 without upgrading still streams on the same connection.
      const at = performance.now();
      if (res.statusCode !== 200) {
        reject(new Error(`attach ${id}: HTTP ${res.statusCode}`));
        res.resume();
        return;
      }
      onStream(res.socket, Buffer.alloc(0), at);
    });
    req.setTimeout(o.timeoutMs, () => req.destroy(new Error(`attach ${id}: no answer within ${o.timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

async function oneRun(o: Options): Promise<Sample> {
  const t0 = performance.now();
  const hostConfig: Record<string, unknown> = { AutoRemove: true };
  if (o.network) hostConfig.NetworkMode = o.network;
  const created = await request(o, 'POST', '/containers/create', {
    Image: o.image,
    Cmd: ['true'],
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    OpenStdin: false,
    HostConfig: hostConfig,
  });
  const createBody = await created.body;
  if (created.status !== 201) throw new Error(`create: HTTP ${created.status}: ${createBody.text.trim()}`);
  const id = (JSON.parse(createBody.text) as { Id?: string }).Id;
  if (!id) throw new Error(`create: no Id in ${createBody.text}`);
  const tCreated = createBody.at;

  const att = await attach(o, id);

  const tWait = performance.now();
  const wait = await request(o, 'POST', `/containers/${id}/wait?condition=removed`);
  if (wait.status !== 200) throw new Error(`wait: HTTP ${wait.status}: ${(await wait.body).text.trim()}`);

  const tStart = performance.now();
  const started = await request(o, 'POST', `/containers/${id}/start`);
  const startBody = await started.body;
  if (started.status !== 204) throw new Error(`start: HTTP ${started.status}: ${startBody.text.trim()}`);
  const tStarted = startBody.at;

  const [waitBody, eof] = await Promise.all([wait.body, att.eof]);
  const status = (JSON.parse(waitBody.text) as { StatusCode?: number; Error?: { Message?: string } | null });
  if (status.StatusCode !== 0) throw new Error(`wait: unexpected result ${waitBody.text.trim()}`);

  return {
    create: tCreated - t0,
    attach: att.at - tCreated,
    'wait-hdr': wait.headersAt - tWait,
    start: tStarted - tStart,
    'start→wait': waitBody.at - tStarted,
    'start→eof': eof.at - tStarted,
    total: Math.max(waitBody.at, eof.at) - t0,
  };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  if (q === 0.5) {
    const m = sorted.length >> 1;
    return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
  }
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!; // nearest rank
}

export interface StepStats {
  median: number;
  p90: number;
  min: number;
  max: number;
  mean: number;
}

function stats(values: number[]): StepStats {
  const s = [...values].sort((a, b) => a - b);
  return {
    median: quantile(s, 0.5),
    p90: quantile(s, 0.9),
    min: s[0]!,
    max: s[s.length - 1]!,
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const deadline = Date.now() + 20 * 60_000; // whole run bounded too
  for (let i = 0; i < o.warmup; i++) await oneRun(o);
  const samples: Sample[] = [];
  for (let i = 0; i < o.runs; i++) {
    if (Date.now() > deadline) throw new Error(`gave up after ${i} runs: over 20 minutes`);
    samples.push(await oneRun(o));
  }
  agent.destroy();

  const summary = Object.fromEntries(STEPS.map((s) => [s, stats(samples.map((x) => x[s]))])) as Record<Step, StepStats>;
  const f = (n: number) => n.toFixed(1).padStart(8);
  const lines = [
    `daemon share of "run --rm ${o.image} true" — ${o.label}${o.network ? ` (network ${o.network})` : ''}: ${o.runs} runs after ${o.warmup} warmups, ms`,
    `${'step'.padEnd(12)}${'median'.padStart(8)}${'p90'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}`,
    ...STEPS.map((s) => `${s.padEnd(12)}${f(summary[s].median)}${f(summary[s].p90)}${f(summary[s].min)}${f(summary[s].max)}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  if (o.json) {
    writeFileSync(
      o.json,
      JSON.stringify({ label: o.label, socket: o.socket, network: o.network ?? null, runs: o.runs, warmup: o.warmup, summary, samples }, null, 2) + '\n',
    );
  }
}

main().catch((err: unknown) => {
  agent.destroy();
  process.stderr.write(`daemon-share: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
