// The build cache against a real berthd: what is reused ("---> Using cache") and what is not, per
// Docker's rules (parent + instruction, COPY/ADD content hashes, build args in scope), --no-cache,
// --target, intermediate images in `images -a`, and `builder prune` / `system df`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { apiRequest, importBusybox, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';
import { build, buildOk, cachedSteps, cli, inspect, writeContext } from './build-helpers.js';

let d: BerthdHandle;

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => {
  await d?.stop();
});

test('a Node-app-like build reuses its dependency step when only the app code changes', async () => {
  const ctx = writeContext(d, {
    'package.json': '{"name":"app","dependencies":{"left-pad":"1"}}\n',
    'index.js': 'console.log("v1")\n',
    Dockerfile: [
      'FROM busybox',
      'WORKDIR /app',
      'COPY package.json .',
      'RUN mkdir node_modules && cp package.json node_modules/installed && cat /proc/sys/kernel/random/uuid > /installed-at',
      'COPY . .',
      'CMD ["cat", "index.js"]',
      '',
    ].join('\n'),
  });
  const first = await build(d, ctx, '-t', 'app:1');
  assert.equal(first.code, 0, first.stderr);
  assert.deepEqual(cachedSteps(first.stdout), []);
  const installedAt = (await cli(d, 'run', '--rm', 'app:1', 'cat', '/installed-at')).stdout;

  writeFileSync(path.join(ctx, 'index.js'), 'console.log("v2")\n');
  const second = await build(d, ctx, '-t', 'app:2');
  assert.equal(second.code, 0, second.stderr);
  assert.deepEqual(cachedSteps(second.stdout), [2, 3, 4], 'WORKDIR, COPY package.json and the install step come from the cache');
  assert.doesNotMatch(second.stdout.split('Step 5/6')[0], /Running in/);
  assert.equal((await cli(d, 'run', '--rm', 'app:2')).stdout, 'console.log("v2")\n');
  assert.equal((await cli(d, 'run', '--rm', 'app:2', 'cat', '/installed-at')).stdout, installedAt);

  writeFileSync(path.join(ctx, 'package.json'), '{"name":"app","dependencies":{"left-pad":"2"}}\n');
  const third = await build(d, ctx, '-t', 'app:3');
  assert.deepEqual(cachedSteps(third.stdout), [2], 'a new package.json re-runs the install');
  assert.notEqual((await cli(d, 'run', '--rm', 'app:3', 'cat', '/installed-at')).stdout, installedAt);

  // A mode change is a change too (Docker hashes the tar header with the bytes).
  chmodSync(path.join(ctx, 'package.json'), 0o600);
  assert.deepEqual(cachedSteps((await build(d, ctx)).stdout), [2]);

  const full = await build(d, ctx);
  assert.deepEqual(cachedSteps(full.stdout), [2, 3, 4, 5, 6]);
  const none = await build(d, ctx, '--no-cache');
  assert.deepEqual(cachedSteps(none.stdout), []);
});

test('--build-arg changes invalidate only the steps after the ARG in the stage that declares it', async () => {
  const ctx = writeContext(d, {
    Dockerfile: [
      'FROM busybox AS one',
      'RUN echo before > /before',
      'ARG X=default',
      'RUN echo "$X" > /x',
      'FROM busybox AS two',
      'RUN echo other stage > /other',
      'COPY --from=one /x /x',
      '',
    ].join('\n'),
  });
  const first = await build(d, ctx, '--build-arg', 'X=1');
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const same = await build(d, ctx, '--build-arg', 'X=1');
  assert.deepEqual(cachedSteps(same.stdout), [2, 3, 4, 6, 7]);
  const changed = await build(d, ctx, '--build-arg', 'X=2', '-t', 'args:2');
  // Step 4 (the RUN after ARG X) re-runs; the stage without the ARG keeps its RUN; its COPY of /x does not.
  assert.deepEqual(cachedSteps(changed.stdout), [2, 3, 6]);
  assert.equal((await cli(d, 'run', '--rm', 'args:2', 'cat', '/x')).stdout, '2\n');
  // An arg nothing declares changes nothing.
  assert.deepEqual(cachedSteps((await build(d, ctx, '--build-arg', 'X=2', '--build-arg', 'UNUSED=9')).stdout), [2, 3, 4, 6, 7]);
});

test('--target builds the stages up to the target only', async () => {
  const ctx = writeContext(d, {
    Dockerfile: 'FROM busybox AS base\nRUN echo base > /base\nFROM base AS test\nRUN echo test > /test\nFROM base AS prod\nRUN echo prod > /prod\n',
  });
  const r = await build(d, ctx, '--target', 'test', '-t', 'targeted');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Step 4\/4 : RUN echo test > \/test\n/);
  assert.doesNotMatch(r.stdout, /prod/);
  const missing = await build(d, ctx, '--target', 'nope');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Error response from daemon: failed to reach build target nope in Dockerfile/);
});

test('intermediate images show in images -a only; builder prune removes dead cache and system df counts it', async () => {
  // Untagged builds of the tests above are dead cache already: start from none.
  assert.equal((await cli(d, 'builder', 'prune', '-f')).code, 0);
  const ctx = writeContext(d, {
    'f.txt': 'one\n',
    Dockerfile: 'FROM busybox\nCOPY f.txt /f.txt\nRUN --mount=type=cache,target=/c echo x > /c/x && cat /f.txt > /g.txt\nLABEL step=last\n',
  });
  await buildOk(d, ctx, '-t', 'pruned');
  const id = (await inspect(d, 'pruned')).Id as string;
  const all = (await cli(d, 'images', '-aq', '--no-trunc')).stdout;
  const top = (await cli(d, 'images', '-q', '--no-trunc')).stdout;
  const intermediates = (await inspect(d, 'pruned')).Parent as string;
  assert.ok(all.includes(intermediates), 'images -a lists the parent of the built image');
  assert.ok(!top.includes(intermediates), 'images does not');
  assert.ok(top.includes(id));

  // A changed file leaves the old chain after it dangling: that is build cache.
  writeFileSync(path.join(ctx, 'f.txt'), 'two\n');
  await buildOk(d, ctx, '-t', 'pruned');
  const df = JSON.parse((await apiRequest(d.socket, 'GET', '/system/df')).body.toString()) as { BuildCache: Array<{ Type: string; Size: number }>; BuilderSize: number };
  assert.equal(df.BuildCache.filter((c) => c.Type === 'regular').length, 3, 'the old COPY, RUN and LABEL images');
  assert.equal(df.BuildCache.filter((c) => c.Type === 'exec.cachemount').length, 1);
  assert.ok(df.BuilderSize > 0);
  assert.equal(df.BuilderSize, df.BuildCache.reduce((n, c) => n + c.Size, 0));

  const r = await cli(d, 'builder', 'prune', '-f');
  assert.equal(r.code, 0, r.stderr);
  // The three old images, the cache mount and the remembered hashes of the context directory's files.
  assert.match(r.stdout, /^Deleted build cache objects:\n([0-9a-f]{64}\n){3}[0-9a-f]{64}\ncontext-hashes\n\nTotal reclaimed space: \d+(\.\d+)?[kMG]?B\n$/);
  assert.equal(existsSync(path.join(d.dataRoot, 'builder', 'cache-mounts')) && readdirSync(path.join(d.dataRoot, 'builder', 'cache-mounts')).length, 0);
  assert.equal((await cli(d, 'run', '--rm', 'pruned', 'cat', '/g.txt')).stdout, 'two\n', 'the tagged image is untouched');
  // What the current image depends on is still cache.
  assert.deepEqual(cachedSteps((await build(d, ctx)).stdout), [2, 3, 4]);
  assert.match((await cli(d, 'builder', 'prune', '-f')).stdout, /^Deleted build cache objects:\ncontext-hashes\n\nTotal reclaimed space: \d+B\n$/);

  // -a cuts the tagged image loose from its chain: nothing is cached any more.
  const a = await cli(d, 'builder', 'prune', '-a', '-f');
  assert.equal(a.code, 0, a.stderr);
  assert.match(a.stdout, /^Deleted build cache objects:\n/);
  assert.equal((await cli(d, 'run', '--rm', 'pruned', 'cat', '/g.txt')).stdout, 'two\n');
  assert.deepEqual(cachedSteps((await build(d, ctx)).stdout), []);
});
