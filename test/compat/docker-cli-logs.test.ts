// The real docker CLI v28 against berthd and against the reference dockerd 20.10: --log-driver / --log-opt
// (refusals, what inspect shows), logs --details, and the none driver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, compatDaemons, show, uniquePrefix } from './differential.js';

const env = compatDaemons({ reference: true });
const P = uniquePrefix('logs');
const name = (s: string) => `${P}-${s}`;

test('refused log options: the same exit code and message from both engines, and nothing left behind', async () => {
  const cases = [
    ['--log-opt', 'max-size=abc'],
    ['--log-opt', 'max-file=0'],
    ['--log-opt', 'foo=bar'],
    ['--log-driver', 'bogus'],
    ['--log-driver', 'local', '--log-opt', 'max-size=abc'],
    ['--log-driver', 'none', '--log-opt', 'max-size=1m'],
  ];
  for (const flags of cases) {
    // --rm: the reference refuses some values only at start, then removes what it created.
    const { berth, ref } = await env.both(['run', '--rm', ...flags, 'busybox', 'true']);
    assert.equal(ref.code, 125, show(ref));
    assert.deepEqual({ code: berth.code, stderr: berth.stderr }, { code: ref.code, stderr: ref.stderr }, flags.join(' '));
  }
  const { berth, ref } = await env.both(['ps', '-aq', '--filter', `name=${P}`]);
  assert.equal(berth.stdout, ref.stdout);
});

test('inspect shows LogConfig as given, with json-file for the default', async () => {
  const plain = name('plain');
  const opts = name('opts');
  try {
    for (const socket of [env.berth, env.ref()]) {
      assert.equal((await env.docker(socket, ['create', '--name', plain, 'busybox', 'true'])).code, 0);
      const r = await env.docker(socket, ['create', '--name', opts, '--log-driver', 'local', '--log-opt', 'max-size=1m', '--log-opt', 'max-file=2', 'busybox', 'true']);
      assert.equal(r.code, 0, show(r));
    }
    const fmt = ['inspect', '--format', '{{json .HostConfig.LogConfig}}', plain, opts];
    const { berth, ref } = await env.both(fmt);
    assert.equal(ref.stdout, '{"Type":"json-file","Config":{}}\n{"Type":"local","Config":{"max-file":"2","max-size":"1m"}}\n');
    assert.equal(berth.stdout, ref.stdout);
  } finally {
    await cleanup(env.berth, { containers: [plain, opts] });
    await cleanup(env.ref(), { containers: [plain, opts] });
  }
});

test('logs --details prints what the reference prints', async () => {
  const plain = name('d-plain');
  const attrs = name('d-attrs');
  try {
    for (const socket of [env.berth, env.ref()]) {
      assert.equal((await env.docker(socket, ['run', '--name', plain, 'busybox', 'sh', '-c', 'echo hi; echo err >&2; echo bye'])).code, 0);
      const r = await env.docker(socket, [
        'run', '--name', attrs,
        '--label', 'a=1', '--label', 'b=2', '--label', 'c=3', '--label', 'a/b=x y&z,',
        '-e', 'X=x1', '-e', 'Y=y1', '-e', 'BZ=bz', '-e', 'E=v=1 2',
        '--log-opt', 'labels=b,a,a/b', '--log-opt', 'labels-regex=^c', '--log-opt', 'env=Y,X,E,MISSING', '--log-opt', 'env-regex=^B',
        '--log-opt', 'tag={{.Name}}|{{.ImageName}}|{{.DaemonName}}',
        'busybox', 'sh', '-c', 'echo hi; echo err >&2; sleep 0.2; echo bye',
      ]);
      assert.equal(r.code, 0, show(r));
    }
    for (const args of [['logs', '--details', plain], ['logs', '--details', attrs], ['logs', '--details', '--tail', '1', attrs]]) {
      const { berth, ref } = await env.both(args);
      assert.equal(ref.code, 0, show(ref));
      assert.deepEqual({ code: berth.code, stdout: berth.stdout, stderr: berth.stderr }, { code: ref.code, stdout: ref.stdout, stderr: ref.stderr }, args.join(' '));
    }
  } finally {
    await cleanup(env.berth, { containers: [plain, attrs] });
    await cleanup(env.ref(), { containers: [plain, attrs] });
  }
});

test('--log-driver none: run prints, logs is refused the same way', async () => {
  const c = name('none');
  try {
    const run = await env.both(['run', '--name', c, '--log-driver', 'none', 'busybox', 'echo', 'hi']);
    assert.equal(run.ref.stdout, 'hi\n');
    assert.equal(run.berth.stdout, run.ref.stdout);
    const { berth, ref } = await env.both(['logs', c]);
    assert.equal(ref.code, 1, show(ref));
    assert.deepEqual({ code: berth.code, stdout: berth.stdout, stderr: berth.stderr }, { code: ref.code, stdout: ref.stdout, stderr: ref.stderr });
  } finally {
    await cleanup(env.berth, { containers: [c] });
    await cleanup(env.ref(), { containers: [c] });
  }
});
