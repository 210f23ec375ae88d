// Bad input to the builder against a real berthd: Docker's messages (with the line where the parser
// knows it), at or before the failing step, exit codes, previous tags untouched, and nothing left behind
// (containers, images, snapshots, contexts, mounts). A context never leads outside itself.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { importBusybox, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';
import { build, buildOk, buildTar, cli, inspect, leftovers, writeContext } from './build-helpers.js';

let d: BerthdHandle;

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => {
  await d?.stop();
});

async function expectFailure(dockerfile: string, stderr: RegExp, opts: { code?: number; files?: Record<string, string>; args?: string[] } = {}) {
  const ctx = writeContext(d, { Dockerfile: dockerfile, ...(opts.files ?? {}) });
  const before = await leftovers(d);
  const r = await build(d, ctx, '--force-rm', ...(opts.args ?? []));
  assert.equal(r.code, opts.code ?? 1, `${dockerfile}: ${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, stderr);
  return { r, before, after: await leftovers(d) };
}

test('parse errors fail the request before any step, with the line number', async () => {
  const cases: Array<[string, RegExp]> = [
    ['FROM busybox\nRUN echo 1\nFOO bar\n', /^Error response from daemon: dockerfile parse error line 3: unknown instruction: FOO\n$/],
    ['RUN echo 1\n', /^Error response from daemon: no build stage in current context\n$/],
    ['FROM busybox\nRUN <<EOF\necho never ends\n', /^Error response from daemon: failed to parse Dockerfile: .*heredoc/i],
    ['FROM busybox\nENV\n', /^Error response from daemon: dockerfile parse error line 2: ENV requires at least one argument\n$/],
    ['', /^Error response from daemon: the Dockerfile \(Dockerfile\) cannot be empty\n$/],
  ];
  for (const [dockerfile, stderr] of cases) {
    const { r, before, after } = await expectFailure(dockerfile, stderr);
    assert.doesNotMatch(r.stdout, /Step 1/);
    assert.deepEqual(after, before);
  }
});

test('a step that fails reports Docker\'s message at that step and leaves no container, image or snapshot', async () => {
  const ok = writeContext(d, { Dockerfile: 'FROM busybox\nRUN echo first > /v\n' });
  await buildOk(d, ok, '-t', 'keep:me');
  const kept = (await inspect(d, 'keep:me')).Id;
  const cases: Array<[string, RegExp, number?, Record<string, string>?]> = [
    ['FROM busybox\nRUN echo fails && exit 3\n', /^The command '\/bin\/sh -c echo fails && exit 3' returned a non-zero code: 3\n$/, 3],
    ['FROM busybox\nCOPY missing.txt /x\n', /^COPY failed: file not found in build context or excluded by \.dockerignore: stat missing\.txt: file does not exist\n$/],
    ['FROM busybox\nCOPY ../outside /x\n', /^COPY failed: forbidden path outside the build context: \.\.\/outside \(\)\n$/],
    ['FROM busybox\nCOPY --chown=nosuchuser:root f /x\n', /^unable to convert uid\/gid chown string to host mapping: can't find uid for user nosuchuser: no such user: nosuchuser\n$/, 1, { f: 'f' }],
    ['FROM busybox\nCOPY f g /notadir\n', /^When using COPY with more than one source file, the destination must be a directory and end with a \/\n$/, 1, { f: 'f', g: 'g' }],
    ['FROM busybox\nCOPY *.none /x/\n', /^COPY failed: no source files were specified\n$/],
    ['FROM busybox\nEXPOSE notaport\n', /^Invalid containerPort: notaport\n$/],
    ['FROM busybox\nSTOPSIGNAL SIGNOPE\n', /^Invalid signal: SIGNOPE\n$/],
    // A base image that is not here is pulled, as Docker does; this registry address answers nothing.
    ['FROM 127.0.0.1:1/nosuch/image:1\n', /127\.0\.0\.1:1.*connection refused|ECONNREFUSED/],
    ['FROM busybox\nCOPY --from=nostage /x /y\n', /^invalid from flag value nostage: /],
  ];
  for (const [dockerfile, stderr, code, files] of cases) {
    const { r, before, after } = await expectFailure(dockerfile, stderr, { code, files });
    // The failing step was announced, nothing after it ran.
    const steps = r.stdout.match(/^Step \d+\/\d+ : /gm) ?? [];
    assert.equal(steps.length, dockerfile.trim().split('\n').length, r.stdout);
    assert.equal(after.containers, before.containers);
    assert.deepEqual(after.contexts, []);
    assert.deepEqual(after.mounts, before.mounts);
    // Steps before the failure may leave cache (as in Docker) but nothing else.
    assert.ok(after.snapshots.length <= before.snapshots.length + 1);
  }
  assert.equal((await inspect(d, 'keep:me')).Id, kept, 'the earlier tag is untouched');
});

test('a failing RUN without --force-rm leaves its container as Docker does; with -t the tag is not moved', async () => {
  const ok = writeContext(d, { Dockerfile: 'FROM busybox\nLABEL v=1\n' });
  await buildOk(d, ok, '-t', 'moving:tag');
  const before = (await inspect(d, 'moving:tag')).Id;
  const bad = writeContext(d, { Dockerfile: 'FROM busybox\nLABEL v=2\nRUN exit 42\n' });
  const r = await build(d, bad, '-t', 'moving:tag');
  assert.equal(r.code, 42);
  assert.equal((await inspect(d, 'moving:tag')).Id, before);
  const left = (await cli(d, 'ps', '-aq')).stdout.trim();
  assert.match(left, /^[0-9a-f]{12}$/);
  assert.match(r.stdout, new RegExp(` ---> Running in ${left}\n`));
  assert.equal((await cli(d, 'rm', left)).code, 0);
});

test('contexts that climb out are refused; a symlink in the context never reads outside it', async () => {
  writeFileSync(path.join(d.dir, 'secret'), 'host secret\n');
  const climb = await buildTar(d, [{ name: 'Dockerfile', data: 'FROM busybox\n' }, { name: '../escape', data: 'x' }]);
  assert.equal(climb.status, 400);
  assert.match(climb.body, /outside of the context/);

  // A symlink to a host path resolves inside the context (as if the context were "/"): it is not there.
  const link = await buildTar(d, [
    { name: 'Dockerfile', data: 'FROM busybox\nCOPY link /x\n' },
    { name: 'link', type: 'symlink', linkname: path.join(d.dir, 'secret') },
  ]);
  assert.equal(link.status, 200);
  const err = link.messages.find((m) => m.error);
  assert.match(err?.error ?? '', /^COPY failed: file not found in build context/);

  // ../../ links stop at the context root; a link to a file inside works.
  const rel = await buildTar(
    d,
    [
      { name: 'Dockerfile', data: 'FROM busybox\nCOPY up /up\nCOPY in /in\n' },
      { name: 'real', data: 'inside\n' },
      { name: 'up', type: 'symlink', linkname: '../../../../real' },
      { name: 'in', type: 'symlink', linkname: 'real' },
    ],
    '?t=links',
  );
  assert.equal(rel.messages.find((m) => m.error), undefined, rel.body);
  assert.equal((await cli(d, 'run', '--rm', 'links', 'cat', '/up', '/in')).stdout, 'inside\ninside\n');
  // A symlink copied as part of a directory stays a symlink.
  const dir = await buildTar(
    d,
    [
      { name: 'Dockerfile', data: 'FROM busybox\nCOPY d /d\n' },
      { name: 'd/', type: 'directory' },
      { name: 'd/out', type: 'symlink', linkname: path.join(d.dir, 'secret') },
    ],
    '?t=dirlink',
  );
  assert.equal(dir.messages.find((m) => m.error), undefined, dir.body);
  assert.equal((await cli(d, 'run', '--rm', 'dirlink', 'readlink', '/d/out')).stdout, `${path.join(d.dir, 'secret')}\n`);
});
