// The real docker CLI's `docker events --since … --until …` against berthd and against the reference dockerd:
// the same scenario on both must print the same lines (IDs and times normalised), the same JSON shape with
// --format '{{json .}}', and the same filtered subsets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, compatDaemons, uniquePrefix } from './differential.js';

const env = compatDaemons({ reference: true });
const P = uniquePrefix('events');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const now = () => (Date.now() / 1000).toFixed(9);

/** Runs the scenario through the docker CLI on one daemon; returns its since/until window. */
async function scenario(socket: string): Promise<{ since: string; until: string }> {
  const run = async (...args: string[]) => {
    const r = await env.docker(socket, args);
    assert.ok(r.code === 0 || args[0] === 'wait', `docker ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  await cleanup(socket, { containers: [`${P}-a`, `${P}-a2`, `${P}-b`], images: [`${P}-img:v1`] });
  await sleep(20);
  const since = now();
  await sleep(20);
  await run('run', '-d', '--name', `${P}-a`, '--label', 'team=blue', 'busybox', 'sh', '-c', 'exit 3');
  await run('wait', `${P}-a`);
  await run('rename', `${P}-a`, `${P}-a2`);
  await run('rm', `${P}-a2`);
  await run('tag', 'busybox', `${P}-img:v1`);
  await run('rmi', `${P}-img:v1`);
  await run('run', '-d', '--name', `${P}-b`, 'busybox', 'sleep', '100');
  await run('kill', `${P}-b`);
  await run('wait', `${P}-b`);
  await run('rm', `${P}-b`);
  await sleep(20);
  return { since, until: now() };
}

/** Drops the time, turns 64-hex IDs into <id>, and keeps only this file's events. */
function normalise(out: string): string[] {
  return out
    .trimEnd()
    .split('\n')
    .filter((l) => l.includes(P))
    .map((l) => {
      const m = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}(?:Z|[+-]\d\d:\d\d) (.*)$/.exec(l);
      assert.ok(m, `docker's line format: ${l}`);
      return m[1]!.replace(/sha256:[0-9a-f]{64}/g, '<image>').replace(/\b[0-9a-f]{64}\b/g, '<id>');
    });
}

let windows: { berth: { since: string; until: string }; ref: { since: string; until: string } } | undefined;
async function both() {
  if (!windows) {
    const ref = env.ref();
    windows = { berth: await scenario(env.berth), ref: await scenario(ref) };
  }
  return windows;
}

async function eventsOn(which: 'berth' | 'ref', extra: string[]): Promise<string> {
  const w = (await both())[which];
  const socket = which === 'berth' ? env.berth : env.ref();
  const r = await env.docker(socket, ['events', '--since', w.since, '--until', w.until, ...extra]);
  assert.equal(r.code, 0, `${which}: ${r.stderr}`);
  return r.stdout;
}

test('docker events --since --until: the same lines from berthd as from dockerd', async () => {
  const b = normalise(await eventsOn('berth', []));
  const r = normalise(await eventsOn('ref', []));
  assert.deepEqual(b, r);
  assert.ok(b.some((l) => l.startsWith('container die <id> (exitCode=3,')), b.join('\n'));
});

test('docker events --filter: event, container, type, label give the same subsets', async () => {
  for (const filters of [['event=die'], [`container=${P}-b`], ['type=container', 'event=destroy'], ['label=team=blue'], ['event=start', 'event=kill']]) {
    const args = filters.flatMap((f) => ['--filter', f]);
    assert.deepEqual(normalise(await eventsOn('berth', args)), normalise(await eventsOn('ref', args)), filters.join(' '));
  }
});

test("docker events --format '{{json .}}': the same fields in the same order", async () => {
  const shape = (out: string) =>
    out
      .trimEnd()
      .split('\n')
      .filter((l) => l.includes(P))
      .map((l) => {
        const m = JSON.parse(l) as Record<string, unknown> & { Actor: { Attributes: Record<string, string> } };
        assert.match(l, /"timeNano":\d{19}\}$/);
        return `${Object.keys(m).join(',')} ${m.Type}/${m.Action} ${Object.keys(m.Actor.Attributes).join(',')}`;
      });
  const b = shape(await eventsOn('berth', ['--format', '{{json .}}', '--filter', 'type=container']));
  const r = shape(await eventsOn('ref', ['--format', '{{json .}}', '--filter', 'type=container']));
  assert.deepEqual(b, r);
});
