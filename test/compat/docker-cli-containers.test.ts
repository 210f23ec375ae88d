// The real docker CLI v28 against berthd, and the same scenario against the reference dockerd 20.10:
// run, ps, logs, stop, rm, inspect, create, kill, wait, restart, rename — what the user sees must match.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import type { RunResult } from '../helpers/daemon.js';
import {
  cleanup,
  compatDaemons,
  inspectOne,
  normIds,
  normRecord,
  parseTable,
  show,
  tableRecords,
  uniquePrefix,
} from './differential.js';

const env = compatDaemons({ reference: true });
const P = uniquePrefix('ctr');
const name = (s: string) => `${P}-${s}`;
const ID64 = /^[0-9a-f]{64}\n$/;

/** Runs `body` against both daemons' sockets (berth first), then removes `containers` on both. */
async function onBoth(containers: string[], body: (socket: string, which: 'berth' | 'ref') => Promise<void>): Promise<void> {
  const refSocket = env.ref();
  try {
    await body(env.berth, 'berth');
    await body(refSocket, 'ref');
  } finally {
    await cleanup(env.berth, { containers });
    await cleanup(refSocket, { containers });
  }
}

async function inspect(socket: string, ref: string): Promise<Record<string, unknown>> {
  return inspectOne(await env.docker(socket, ['inspect', ref]), ref);
}

async function stateOf(socket: string, ref: string): Promise<Record<string, unknown>> {
  return (await inspect(socket, ref)).State as Record<string, unknown>;
}

/** Go's RFC 3339 timestamps carry nanoseconds; JavaScript's Date wants at most milliseconds. */
function parseTime(s: unknown): number {
  assert.equal(typeof s, 'string');
  const t = Date.parse((s as string).replace(/(\.\d{3})\d*/, '$1'));
  assert.ok(!Number.isNaN(t), `a timestamp: ${String(s)}`);
  return t;
}

function cmdlineOf(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
}

/** The docker CLI's usual tail after a daemon error in `docker run`. */
const RUN_HELP_TAIL = "\nRun 'docker run --help' for more information\n";

// ------------------------------------------------------------------------------------------------- run

test('run --rm busybox echo hello world prints exactly "hello world" and exits 0', async () => {
  const { berth, ref } = await env.both(['run', '--rm', 'busybox', 'echo', 'hello', 'world']);
  assert.deepEqual({ code: ref.code, stdout: ref.stdout, stderr: ref.stderr }, { code: 0, stdout: 'hello world\n', stderr: '' });
  assert.deepEqual({ code: berth.code, stdout: berth.stdout, stderr: berth.stderr }, { code: 0, stdout: 'hello world\n', stderr: '' });
});

test("run --rm busybox sh -c 'exit 3' exits 3 with no output", async () => {
  const { berth, ref } = await env.both(['run', '--rm', 'busybox', 'sh', '-c', 'exit 3']);
  assert.deepEqual({ code: ref.code, stdout: ref.stdout, stderr: ref.stderr }, { code: 3, stdout: '', stderr: '' });
  assert.deepEqual({ code: berth.code, stdout: berth.stdout, stderr: berth.stderr }, { code: 3, stdout: '', stderr: '' });
});

test('run --rm busybox nope exits 127 with the runtime error, and --rm removes the container', async () => {
  const c = name('nope');
  await onBoth([c], async (socket, which) => {
    const r = await env.docker(socket, ['run', '--rm', '--name', c, 'busybox', 'nope']);
    assert.equal(r.code, 127, `${which}: ${show(r)}`);
    assert.equal(r.stdout, '', which);
    assert.ok(r.stderr.startsWith('docker: Error response from daemon: '), `${which}: ${r.stderr}`);
    assert.match(r.stderr, /exec: "nope": executable file not found in \$PATH/, which);
    assert.ok(r.stderr.endsWith(RUN_HELP_TAIL), `${which}: ${JSON.stringify(r.stderr)}`);
    const gone = await env.docker(socket, ['inspect', c]);
    assert.equal(gone.code, 1, `${which}: the container is gone: ${show(gone)}`);
    assert.equal(gone.stderr, `Error: No such object: ${c}\n`, which);
  });
});

test("run of a missing image: \"Unable to find image 'nope:latest' locally\", exit 125, no container", async () => {
  const c = name('noimg');
  await onBoth([c], async (socket, which) => {
    const r = await env.docker(socket, ['run', '--name', c, 'nope']);
    assert.equal(r.code, 125, `${which}: ${show(r)}`);
    assert.equal(r.stdout, '', which);
    // The pull error itself differs (dockerd tries the network, berth has no registry client yet).
    assert.ok(r.stderr.startsWith("Unable to find image 'nope:latest' locally\ndocker: Error response from daemon: "), `${which}: ${r.stderr}`);
    assert.ok(r.stderr.endsWith(RUN_HELP_TAIL), `${which}: ${JSON.stringify(r.stderr)}`);
    assert.equal((await env.docker(socket, ['inspect', c])).code, 1, `${which}: no container was created`);
  });
});

test('run -d prints the 64-hex container ID and nothing else', async () => {
  const c = name('detached');
  await onBoth([c], async (socket, which) => {
    const r = await env.docker(socket, ['run', '-d', '--name', c, 'busybox', 'sleep', '300']);
    assert.equal(r.code, 0, `${which}: ${show(r)}`);
    assert.match(r.stdout, ID64, which);
    assert.equal(r.stderr, '', which);
    const id = (await env.docker(socket, ['inspect', '--format', '{{.Id}}', c])).stdout;
    assert.equal(id, r.stdout, `${which}: the printed ID is the container's`);
  });
});

// -------------------------------------------------------------------------------------------------- ps

test('ps and ps -a: same header, columns, alignment and (normalised) rows as dockerd', async () => {
  const up = name('ps-up');
  const created = name('ps-created');
  const exited = name('ps-exited');
  const mine = [up, created, exited];
  const seen: Record<'berth' | 'ref', { ps: Record<string, string>[]; psa: Record<string, string>[]; order: string[] }> = {
    berth: { ps: [], psa: [], order: [] },
    ref: { ps: [], psa: [], order: [] },
  };
  await onBoth(mine, async (socket, which) => {
    // (no argument with a space in it here: quoting of those is the next test)
    assert.equal((await env.docker(socket, ['run', '--name', exited, 'busybox', 'false'])).code, 1, which);
    assert.equal((await env.docker(socket, ['create', '--name', created, 'busybox', 'echo', 'hi'])).code, 0, which);
    assert.equal((await env.docker(socket, ['run', '-d', '--name', up, 'busybox', 'sleep', '300'])).code, 0, which);

    const ps = await env.docker(socket, ['ps']);
    assert.equal(ps.code, 0, `${which}: ${show(ps)}`);
    assert.equal(ps.stderr, '', which);
    const t = parseTable(ps.stdout, `${which} ps`);
    assert.deepEqual(t.columns, ['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'], which);
    seen[which].ps = tableRecords(t).filter((r) => mine.includes(r.NAMES!)).map(normRecord);

    const psa = await env.docker(socket, ['ps', '-a']);
    assert.equal(psa.code, 0, `${which}: ${show(psa)}`);
    const ta = parseTable(psa.stdout, `${which} ps -a`);
    assert.deepEqual(ta.columns, t.columns, which);
    const recs = tableRecords(ta).filter((r) => mine.includes(r.NAMES!));
    seen[which].order = recs.map((r) => r.NAMES!);
    seen[which].psa = recs.map(normRecord);
    if (which === 'berth') {
      // berthd here is private to this file: nothing but ours may show up
      assert.deepEqual(tableRecords(ta).map((r) => r.NAMES).sort(), [...mine].sort(), 'berth ps -a lists exactly our containers');
    }
  });
  assert.deepEqual(seen.berth.ps, seen.ref.ps, 'ps rows (normalised)');
  assert.deepEqual(seen.berth.order, seen.ref.order, 'ps -a lists newest first');
  assert.deepEqual(seen.berth.psa, seen.ref.psa, 'ps -a rows (normalised)');
  // What the rows are, so a change in both is noticed too.
  assert.deepEqual(seen.ref.psa, [
    { 'CONTAINER ID': '<id>', IMAGE: 'busybox', COMMAND: '"sleep 300"', CREATED: '<ago>', STATUS: 'Up <duration>', PORTS: '', NAMES: up },
    { 'CONTAINER ID': '<id>', IMAGE: 'busybox', COMMAND: '"echo hi"', CREATED: '<ago>', STATUS: 'Created', PORTS: '', NAMES: created },
    { 'CONTAINER ID': '<id>', IMAGE: 'busybox', COMMAND: '"false"', CREATED: '<ago>', STATUS: 'Exited (1) <ago>', PORTS: '', NAMES: exited },
  ]);
});

test("ps quotes arguments containing spaces in COMMAND like dockerd (\"sh -c 'echo a b'\")", async () => {
  const c = name('ps-quote');
  const got: Record<string, string> = {};
  await onBoth([c], async (socket, which) => {
    assert.equal((await env.docker(socket, ['create', '--name', c, 'busybox', 'sh', '-c', 'echo a b'])).code, 0, which);
    const r = await env.docker(socket, ['ps', '-a', '--no-trunc', '--format', '{{.Names}}\t{{.Command}}']);
    assert.equal(r.code, 0, `${which}: ${show(r)}`);
    const line = r.stdout.split('\n').find((l) => l.startsWith(`${c}\t`));
    assert.ok(line, `${which}: ${c} is listed: ${r.stdout}`);
    got[which] = line.slice(c.length + 1);
  });
  assert.equal(got.ref, `"sh -c 'echo a b'"`);
  assert.equal(got.berth, got.ref, 'the COMMAND column (API field Command) of GET /containers/json');
});

test("ps --format '{{.Names}}' lists running containers only, one name a line", async () => {
  const up = name('names-up');
  const created = name('names-created');
  await onBoth([up, created], async (socket, which) => {
    assert.equal((await env.docker(socket, ['create', '--name', created, 'busybox'])).code, 0, which);
    assert.equal((await env.docker(socket, ['run', '-d', '--name', up, 'busybox', 'sleep', '300'])).code, 0, which);
    const r = await env.docker(socket, ['ps', '--format', '{{.Names}}']);
    assert.equal(r.code, 0, `${which}: ${show(r)}`);
    assert.equal(r.stderr, '', which);
    if (which === 'berth') assert.equal(r.stdout, `${up}\n`);
    else {
      const names = r.stdout.split('\n');
      assert.ok(names.includes(up) && !names.includes(created), `ref: ${r.stdout}`);
    }
    const all = await env.docker(socket, ['ps', '-a', '--format', '{{.Names}}']);
    const names = all.stdout.split('\n');
    assert.ok(names.includes(up) && names.includes(created), `${which}: ps -a: ${all.stdout}`);
  });
});

test('ps -aq --filter name=…: substring, ^name$ and ^/name$ all find the container (scripts use ^name$)', async () => {
  const c = name('filter');
  const got: Record<string, Record<string, string>> = {};
  await onBoth([c], async (socket, which) => {
    const id = (await env.docker(socket, ['create', '--name', c, 'busybox'])).stdout.trim();
    got[which] = {};
    for (const f of [c.slice(2), `^${c}$`, `^/${c}$`, `^${c}x$`]) {
      const r = await env.docker(socket, ['ps', '-aq', '--no-trunc', '--filter', `name=${f}`]);
      assert.equal(r.code, 0, `${which} name=${f}: ${show(r)}`);
      got[which]![f] = r.stdout === `${id}\n` ? 'found' : r.stdout === '' ? 'none' : r.stdout;
    }
  });
  assert.deepEqual(got.ref, { [c.slice(2)]: 'found', [`^${c}$`]: 'found', [`^/${c}$`]: 'found', [`^${c}x$`]: 'none' });
  assert.deepEqual(got.berth, got.ref, 'the name filter matches the name with and without its leading "/"');
});

// ------------------------------------------------------------------------------------------------ logs

test('logs keeps stdout and stderr apart; logs --tail 1 prints the last line', async () => {
  const c = name('logs');
  const t = name('tail');
  await onBoth([c, t], async (socket, which) => {
    const run = await env.docker(socket, ['run', '--name', c, 'busybox', 'sh', '-c', 'echo out1; echo err1 >&2; echo out2']);
    assert.equal(run.code, 0, `${which}: ${show(run)}`);
    assert.equal(run.stdout, 'out1\nout2\n', which);
    assert.equal(run.stderr, 'err1\n', which);
    const logs = await env.docker(socket, ['logs', c]);
    assert.deepEqual({ code: logs.code, stdout: logs.stdout, stderr: logs.stderr }, { code: 0, stdout: 'out1\nout2\n', stderr: 'err1\n' }, which);

    assert.equal((await env.docker(socket, ['run', '--name', t, 'busybox', 'sh', '-c', 'echo a; echo b; echo c'])).code, 0, which);
    const tail1 = await env.docker(socket, ['logs', '--tail', '1', t]);
    assert.deepEqual({ code: tail1.code, stdout: tail1.stdout, stderr: tail1.stderr }, { code: 0, stdout: 'c\n', stderr: '' }, which);
    const tail2 = await env.docker(socket, ['logs', '--tail', '2', t]);
    assert.equal(tail2.stdout, 'b\nc\n', which);
    const tail0 = await env.docker(socket, ['logs', '--tail', '0', t]);
    assert.equal(tail0.stdout, '', which);

    const missing = await env.docker(socket, ['logs', name('no-such')]);
    assert.equal(missing.code, 1, which);
    assert.equal(missing.stderr, `Error response from daemon: No such container: ${name('no-such')}\n`, which);
  });
});

// ------------------------------------------------------------------------------------------------ stop

test('stop prints the name, exits 0, and leaves State exited with the right exit code', async () => {
  const hard = name('stop-kill'); // PID 1 ignores SIGTERM: killed after the timeout
  const soft = name('stop-trap'); // traps SIGTERM and exits 0
  const states: Record<string, unknown> = {};
  await onBoth([hard, soft], async (socket, which) => {
    assert.equal((await env.docker(socket, ['run', '-d', '--name', hard, 'busybox', 'sleep', '300'])).code, 0, which);
    const trap = 'trap "echo got TERM; exit 0" TERM; echo ready; while true; do sleep 0.1; done';
    assert.equal((await env.docker(socket, ['run', '-d', '--name', soft, 'busybox', 'sh', '-c', trap])).code, 0, which);
    for (let i = 0; i < 50 && !(await env.docker(socket, ['logs', soft])).stdout.includes('ready'); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }

    const r = await env.docker(socket, ['stop', '-t', '1', hard]);
    assert.deepEqual({ code: r.code, stdout: r.stdout, stderr: r.stderr }, { code: 0, stdout: `${hard}\n`, stderr: '' }, which);
    const st = await stateOf(socket, hard);
    assert.equal(st.Status, 'exited', which);
    assert.equal(st.Running, false, which);
    assert.equal(st.Pid, 0, which);
    assert.equal(st.ExitCode, 137, which);
    assert.ok(parseTime(st.FinishedAt) >= parseTime(st.StartedAt), `${which}: FinishedAt after StartedAt`);
    states[which] = Object.keys(st).sort();

    const s = await env.docker(socket, ['stop', '-t', '10', soft]);
    assert.equal(s.code, 0, `${which}: ${show(s)}`);
    const sst = await stateOf(socket, soft);
    assert.deepEqual([sst.Status, sst.ExitCode], ['exited', 0], `${which}: SIGTERM reached the trap`);
    assert.equal((await env.docker(socket, ['logs', soft])).stdout, 'ready\ngot TERM\n', which);

    // stopping a stopped container is not an error
    const again = await env.docker(socket, ['stop', hard]);
    assert.deepEqual({ code: again.code, stdout: again.stdout }, { code: 0, stdout: `${hard}\n` }, which);
  });
  assert.deepEqual(states.berth, states.ref, 'State has the same keys');
});

// -------------------------------------------------------------------------------------------------- rm

test('rm removes a stopped container and prints its name; rm of a missing one exits 1', async () => {
  const c = name('rm');
  const missing = name('rm-missing');
  await onBoth([c], async (socket, which) => {
    assert.equal((await env.docker(socket, ['create', '--name', c, 'busybox'])).code, 0, which);
    const r = await env.docker(socket, ['rm', c]);
    assert.deepEqual({ code: r.code, stdout: r.stdout, stderr: r.stderr }, { code: 0, stdout: `${c}\n`, stderr: '' }, which);
    assert.equal((await env.docker(socket, ['inspect', c])).code, 1, `${which}: gone`);
    const m = await env.docker(socket, ['rm', missing]);
    assert.deepEqual(
      { code: m.code, stdout: m.stdout, stderr: m.stderr },
      { code: 1, stdout: '', stderr: `Error response from daemon: No such container: ${missing}\n` },
      which,
    );
  });
});

test('rm of a running container fails with exit 1 and Docker\'s message; rm -f removes it', async () => {
  const c = name('rm-running');
  const got: Record<string, RunResult> = {};
  await onBoth([c], async (socket, which) => {
    assert.equal((await env.docker(socket, ['run', '-d', '--name', c, 'busybox', 'sleep', '300'])).code, 0, which);
    got[which] = await env.docker(socket, ['rm', c]);
    assert.equal((await stateOf(socket, c)).Running, true, `${which}: still running after the refused rm`);
    const f = await env.docker(socket, ['rm', '-f', c]);
    assert.deepEqual({ code: f.code, stdout: f.stdout }, { code: 0, stdout: `${c}\n` }, which);
    assert.equal((await env.docker(socket, ['inspect', c])).code, 1, `${which}: gone after rm -f`);
  });
  const ref = got.ref!;
  const berth = got.berth!;
  assert.equal(ref.code, 1);
  assert.equal(berth.code, ref.code, show(berth));
  assert.equal(berth.stdout, '');
  // dockerd 20.10's wording; Docker 25+ says: cannot remove container "/x": container is running: stop the
  // container before removing or force remove. Either is Docker's.
  const docker28 = `Error response from daemon: cannot remove container "/${c}": container is running: stop the container before removing or force remove\n`;
  assert.ok(normIds(berth.stderr) === normIds(ref.stderr) || berth.stderr === docker28, `berth:\n${berth.stderr}dockerd:\n${ref.stderr}`);
});

// --------------------------------------------------------------------------------------------- inspect

test("inspect --format '{{.State.Pid}}' is the live pid of the container's process", async () => {
  const c = name('pid');
  await onBoth([c], async (socket, which) => {
    assert.equal((await env.docker(socket, ['run', '-d', '--name', c, 'busybox', 'sleep', '300'])).code, 0, which);
    const r = await env.docker(socket, ['inspect', '--format', '{{.State.Pid}}', c]);
    assert.equal(r.code, 0, `${which}: ${show(r)}`);
    assert.match(r.stdout, /^[1-9]\d*\n$/, which);
    const pid = Number(r.stdout.trim());
    assert.ok(existsSync(`/proc/${pid}`), `${which}: /proc/${pid} exists`);
    assert.deepEqual(cmdlineOf(pid), ['sleep', '300'], `${which}: the pid is the container's process`);
  });
});

test('inspect JSON has the same top-level keys as dockerd', async () => {
  const c = name('keys');
  const keys: Record<string, string[]> = {};
  await onBoth([c], async (socket, which) => {
    assert.equal((await env.docker(socket, ['create', '--name', c, 'busybox', 'echo', 'a b'])).code, 0, which);
    keys[which] = Object.keys(await inspect(socket, c)).sort();
  });
  const missing = keys.ref!.filter((k) => !keys.berth!.includes(k));
  const extra = keys.berth!.filter((k) => !keys.ref!.includes(k));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, 'top-level keys of GET /containers/{id}/json');
});

test('inspect JSON: State, Config and HostConfig have the keys dockerd has (but those newer APIs dropped)', async () => {
  const c = name('keys2');
  const doc: Record<string, Record<string, unknown>> = {};
  await onBoth([c], async (socket, which) => {
    assert.equal((await env.docker(socket, ['create', '--name', c, 'busybox', 'echo', 'a b'])).code, 0, which);
    doc[which] = await inspect(socket, c);
  });
  // Removed from the API after 1.41 (dockerd 20.10's): HostConfig.KernelMemory, KernelMemoryTCP (1.42).
  const dropped = new Set(['HostConfig.KernelMemory', 'HostConfig.KernelMemoryTCP']);
  const missing: string[] = [];
  for (const section of ['State', 'Config', 'HostConfig']) {
    const r = doc.ref![section] as Record<string, unknown>;
    const b = (doc.berth![section] ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(r)) if (!(k in b) && !dropped.has(`${section}.${k}`)) missing.push(`${section}.${k}`);
  }
  assert.deepEqual(missing, [], 'keys dockerd has and berth lacks');
  // And the values a script reads.
  for (const which of ['berth', 'ref']) {
    const j = doc[which]!;
    const cfg = j.Config as Record<string, unknown>;
    assert.equal(j.Name, `/${c}`, which);
    assert.equal(j.Path, 'echo', which);
    assert.deepEqual(j.Args, ['a b'], which);
    assert.deepEqual(cfg.Cmd, ['echo', 'a b'], which);
    assert.equal(cfg.Image, 'busybox', which);
    assert.match(String(j.Image), /^sha256:[0-9a-f]{64}$/, which);
    assert.equal((j.State as Record<string, unknown>).Status, 'created', which);
  }
});

// -------------------------------------------------------------------------------------------- create

test('create --name twice: the second fails with exit 1 and the Conflict message naming the first', async () => {
  const c = name('dup');
  const got: Record<string, string> = {};
  await onBoth([c], async (socket, which) => {
    const first = await env.docker(socket, ['create', '--name', c, 'busybox']);
    assert.equal(first.code, 0, `${which}: ${show(first)}`);
    assert.match(first.stdout, ID64, which);
    const second = await env.docker(socket, ['create', '--name', c, 'busybox']);
    assert.equal(second.code, 1, `${which}: ${show(second)}`);
    assert.equal(second.stdout, '', which);
    assert.equal(
      second.stderr,
      `Error response from daemon: Conflict. The container name "/${c}" is already in use by container "${first.stdout.trim()}". ` +
        'You have to remove (or rename) that container to be able to reuse that name.\n',
      which,
    );
    got[which] = normIds(second.stderr);
  });
  assert.equal(got.berth, got.ref);
});

// ---------------------------------------------------------------------------------------------- kill

test('kill: prints the name, the container exits 137; kill of a stopped or missing container exits 1', async () => {
  const c = name('kill');
  const t = name('kill-term');
  const missing = name('kill-missing');
  const errs: Record<string, { stopped: string; missing: string }> = {};
  await onBoth([c, t], async (socket, which) => {
    assert.equal((await env.docker(socket, ['run', '-d', '--name', c, 'busybox', 'sleep', '300'])).code, 0, which);
    const r = await env.docker(socket, ['kill', c]);
    assert.deepEqual({ code: r.code, stdout: r.stdout, stderr: r.stderr }, { code: 0, stdout: `${c}\n`, stderr: '' }, which);
    const waited = await env.docker(socket, ['wait', c]);
    assert.equal(waited.stdout, '137\n', which);
    const st = await stateOf(socket, c);
    assert.deepEqual([st.Status, st.ExitCode, st.Running], ['exited', 137, false], which);

    const again = await env.docker(socket, ['kill', c]);
    assert.equal(again.code, 1, `${which}: ${show(again)}`);
    const gone = await env.docker(socket, ['kill', missing]);
    assert.equal(gone.code, 1, `${which}: ${show(gone)}`);
    errs[which] = { stopped: normIds(again.stderr), missing: gone.stderr };

    // kill -s TERM reaches a process that traps it
    const trap = 'trap "exit 5" TERM; echo ready; while true; do sleep 0.1; done';
    assert.equal((await env.docker(socket, ['run', '-d', '--name', t, 'busybox', 'sh', '-c', trap])).code, 0, which);
    for (let i = 0; i < 50 && !(await env.docker(socket, ['logs', t])).stdout.includes('ready'); i++) {
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal((await env.docker(socket, ['kill', '-s', 'TERM', t])).code, 0, which);
    assert.equal((await env.docker(socket, ['wait', t])).stdout, '5\n', which);
  });
  // dockerd 20.10 capitalises "Cannot kill container", Docker 28 does not: compare case-insensitively.
  assert.equal(errs.ref!.stopped, `Error response from daemon: Cannot kill container: ${c}: Container <full-id> is not running\n`);
  assert.equal(errs.berth!.stopped.toLowerCase(), errs.ref!.stopped.toLowerCase(), 'kill of a stopped container');
  assert.equal(errs.ref!.missing, `Error response from daemon: Cannot kill container: ${missing}: No such container: ${missing}\n`);
  assert.equal(errs.berth!.missing.toLowerCase(), errs.ref!.missing.toLowerCase(), 'kill of a missing container');
});

// ---------------------------------------------------------------------------------------------- wait

test('wait prints the exit code (also for an already exited container); wait of a missing one exits 1', async () => {
  const c = name('wait');
  const missing = name('wait-missing');
  await onBoth([c], async (socket, which) => {
    assert.equal((await env.docker(socket, ['run', '-d', '--name', c, 'busybox', 'sh', '-c', 'sleep 1; exit 7'])).code, 0, which);
    const w = await env.docker(socket, ['wait', c]);
    assert.deepEqual({ code: w.code, stdout: w.stdout, stderr: w.stderr }, { code: 0, stdout: '7\n', stderr: '' }, which);
    const again = await env.docker(socket, ['wait', c]);
    assert.deepEqual({ code: again.code, stdout: again.stdout }, { code: 0, stdout: '7\n' }, which);
    const m = await env.docker(socket, ['wait', missing]);
    assert.deepEqual(
      { code: m.code, stdout: m.stdout, stderr: m.stderr },
      { code: 1, stdout: '', stderr: `Error response from daemon: No such container: ${missing}\n` },
      which,
    );
  });
});

// ------------------------------------------------------------------------------------------- restart

test('restart prints the name and starts a new process; restart of a created container starts it', async () => {
  const c = name('restart');
  const fresh = name('restart-created');
  const counts: Record<string, unknown> = {};
  await onBoth([c, fresh], async (socket, which) => {
    assert.equal((await env.docker(socket, ['run', '-d', '--name', c, 'busybox', 'sleep', '300'])).code, 0, which);
    const before = await stateOf(socket, c);
    const r = await env.docker(socket, ['restart', '-t', '1', c]);
    assert.deepEqual({ code: r.code, stdout: r.stdout, stderr: r.stderr }, { code: 0, stdout: `${c}\n`, stderr: '' }, which);
    const j = await inspect(socket, c);
    const after = j.State as Record<string, unknown>;
    assert.deepEqual([after.Status, after.Running, after.ExitCode], ['running', true, 0], which);
    assert.notEqual(after.Pid, before.Pid, `${which}: a new process`);
    assert.ok(existsSync(`/proc/${String(after.Pid)}`), `${which}: the new pid is alive`);
    assert.ok(parseTime(after.StartedAt) > parseTime(before.StartedAt), `${which}: StartedAt moved on`);
    counts[which] = j.RestartCount;

    assert.equal((await env.docker(socket, ['create', '--name', fresh, 'busybox', 'sleep', '300'])).code, 0, which);
    const rf = await env.docker(socket, ['restart', '-t', '1', fresh]);
    assert.deepEqual({ code: rf.code, stdout: rf.stdout }, { code: 0, stdout: `${fresh}\n` }, which);
    assert.equal((await stateOf(socket, fresh)).Status, 'running', which);
  });
  assert.equal(counts.berth, counts.ref, 'RestartCount after a manual restart');
});

// -------------------------------------------------------------------------------------------- rename

test('rename: silent on success (also while running); a taken name fails like dockerd', async () => {
  const a = name('rn-a');
  const b = name('rn-b');
  const taken = name('rn-taken');
  const up = name('rn-up');
  const upNew = name('rn-up2');
  const errs: Record<string, string> = {};
  await onBoth([a, b, taken, up, upNew], async (socket, which) => {
    assert.equal((await env.docker(socket, ['create', '--name', a, 'busybox'])).code, 0, which);
    const r = await env.docker(socket, ['rename', a, b]);
    assert.deepEqual({ code: r.code, stdout: r.stdout, stderr: r.stderr }, { code: 0, stdout: '', stderr: '' }, which);
    assert.equal((await env.docker(socket, ['inspect', '--format', '{{.Name}}', b])).stdout, `/${b}\n`, which);
    assert.equal((await env.docker(socket, ['inspect', a])).code, 1, `${which}: the old name is free`);

    const takenId = (await env.docker(socket, ['create', '--name', taken, 'busybox'])).stdout.trim();
    const clash = await env.docker(socket, ['rename', b, taken]);
    assert.equal(clash.code, 1, `${which}: ${show(clash)}`);
    assert.ok(clash.stderr.includes(`"${takenId}"`), `${which}: names the holder: ${clash.stderr}`);
    errs[which] = normIds(clash.stderr);
    assert.equal((await env.docker(socket, ['inspect', '--format', '{{.Name}}', b])).stdout, `/${b}\n`, `${which}: unchanged`);

    // dockerd started with --bridge none cannot rename a running container on the default network
    // ("sandbox … not found"), so the running case uses --network none on both.
    assert.equal((await env.docker(socket, ['run', '-d', '--network', 'none', '--name', up, 'busybox', 'sleep', '300'])).code, 0, which);
    const ru = await env.docker(socket, ['rename', up, upNew]);
    assert.deepEqual({ code: ru.code, stderr: ru.stderr }, { code: 0, stderr: '' }, which);
    const names = (await env.docker(socket, ['ps', '--format', '{{.Names}}'])).stdout.split('\n');
    assert.ok(names.includes(upNew) && !names.includes(up), `${which}: ps shows the new name: ${names.join(' ')}`);
  });
  assert.equal(
    errs.ref,
    `Error response from daemon: Error when allocating new name: Conflict. The container name "/${taken}" is already in use by ` +
      'container "<full-id>". You have to remove (or rename) that container to be able to reuse that name.\n' +
      `Error: failed to rename container named ${b}\n`,
  );
  assert.equal(errs.berth, errs.ref, 'rename onto a taken name');
});
