// `berth build` against a real berthd: the context as the docker CLI sends it (.dockerignore applied,
// Dockerfile and .dockerignore always sent, -f inside or outside the context or on stdin, a tar or a
// lone Dockerfile on stdin), -q, --iidfile, --label, -t repeated, and the aliases.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import tar from 'tar-stream';
import { importBusybox, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';
import { build, cli, inspect, writeContext } from './build-helpers.js';

let d: BerthdHandle;

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => {
  await d?.stop();
});

test('.dockerignore: excluded files never reach the daemon, exceptions do; Dockerfile and .dockerignore are always sent but hidden when excluded', async () => {
  const ctx = writeContext(d, {
    '.dockerignore': '# comment\n*.log\nsecret/\nnode_modules\n!keep.log\nDockerfile\n.dockerignore\n',
    'app.js': 'app\n',
    'debug.log': 'log\n',
    'keep.log': 'kept\n',
    'secret/key': 'key\n',
    'node_modules/dep/index.js': 'dep\n',
    'sub/node_modules/x': 'not matched: node_modules is anchored\n',
    Dockerfile: 'FROM busybox\nCOPY . /ctx\nRUN cd /ctx && find . | sort\n',
  });
  const r = await build(d, ctx, '-t', 'ignored');
  assert.equal(r.code, 0, r.stderr);
  const listed = r.stdout.split(' ---> Running in ')[1].split('\n').slice(1).filter((l) => l.startsWith('.'));
  assert.deepEqual(listed, ['.', './app.js', './keep.log', './sub', './sub/node_modules', './sub/node_modules/x']);
});

test('-f: a Dockerfile inside the context, outside it, or on stdin; -t may repeat; -q prints only the ID; --iidfile', async () => {
  const ctx = writeContext(d, { 'docker/build.Dockerfile': 'FROM busybox\nCOPY . /c\nRUN ls -a /c | tr "\\n" " "; echo\n', 'file.txt': 'x\n' });
  const inside = await runCli(['build', '-f', 'docker/build.Dockerfile', '-t', 'f:1', '-t', 'f:2', '.'], { socket: d.socket, cwd: ctx });
  assert.equal(inside.code, 0, inside.stderr);
  assert.match(inside.stdout, /\. \.\. docker file\.txt \n/);
  assert.match(inside.stdout, /Successfully tagged f:1\nSuccessfully tagged f:2\n$/);
  assert.equal((await inspect(d, 'f:1')).Id, (await inspect(d, 'f:2')).Id);

  const outsideFile = path.join(d.dir, 'Outside.Dockerfile');
  writeFileSync(outsideFile, 'FROM busybox\nCOPY . /c\nRUN ls -a /c | tr "\\n" " "; echo\n');
  const outside = await runCli(['build', '--no-cache', '-f', outsideFile, '.'], { socket: d.socket, cwd: ctx });
  assert.equal(outside.code, 0, outside.stderr);
  // The random name it travels under, and the .dockerignore naming it, stay hidden from COPY.
  assert.match(outside.stdout, /\n\. \.\. docker file\.txt \n/);

  const stdin = await runCli(['build', '-q', '--iidfile', path.join(d.dir, 'iid'), '-f', '-', '.'], {
    socket: d.socket,
    cwd: ctx,
    input: 'FROM busybox\nLABEL from=stdin\n',
  });
  assert.equal(stdin.code, 0, stdin.stderr);
  assert.match(stdin.stdout, /^sha256:[0-9a-f]{64}\n$/);
  assert.equal(readFileSync(path.join(d.dir, 'iid'), 'utf8'), stdin.stdout.trim());
  assert.equal((await inspect(d, stdin.stdout.trim())).Config.Labels.from, 'stdin');

  const missing = await runCli(['build', '-f', 'nope', '.'], { socket: d.socket, cwd: ctx });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /Cannot locate specified Dockerfile: nope/);
  const noDir = await cli(d, 'build', path.join(d.dir, 'no-such-dir'));
  assert.equal(noDir.code, 1);
  assert.match(noDir.stderr, /unable to prepare context: path ".*no-such-dir" not found/);
});

test('build - : a tar context or a lone Dockerfile on stdin; --label adds LABEL steps; aliases image build and builder build', async () => {
  const pack = tar.pack();
  pack.entry({ name: 'Dockerfile' }, 'FROM busybox\nCOPY data /data\n');
  pack.entry({ name: 'data' }, 'from a tar\n');
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as unknown as AsyncIterable<Buffer>) chunks.push(c);
  const fromTar = await runCli(['image', 'build', '-t', 'stdin:tar', '--label', 'b=2', '--label', 'a=1', '-'], { socket: d.socket, input: Buffer.concat(chunks) });
  assert.equal(fromTar.code, 0, fromTar.stderr);
  assert.match(fromTar.stdout, /Step 3\/4 : LABEL a=1\n[^]*Step 4\/4 : LABEL b=2\n/);
  assert.equal((await cli(d, 'run', '--rm', 'stdin:tar', 'cat', '/data')).stdout, 'from a tar\n');
  assert.deepEqual((await inspect(d, 'stdin:tar')).Config.Labels, { a: '1', b: '2' });

  const lone = await runCli(['builder', 'build', '-q', '-'], { socket: d.socket, input: 'FROM busybox\nRUN echo lone > /lone\n' });
  assert.equal(lone.code, 0, lone.stderr);
  assert.equal((await cli(d, 'run', '--rm', lone.stdout.trim(), 'cat', '/lone')).stdout, 'lone\n');
});

test('RUN containers get the build\'s --memory and --shm-size', async () => {
  const ctx = writeContext(d, { Dockerfile: 'FROM busybox\nRUN (cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max) && df -k /dev/shm | tail -1\n' });
  const r = await build(d, ctx, '--memory', '64m', '--shm-size', '32m');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\n67108864\nshm +32768 /);
});

test('RUN networking: the build\'s --network and RUN --network=none', async () => {
  const ctx = writeContext(d, { Dockerfile: 'FROM busybox\nRUN ls /sys/class/net | tr "\\n" " "; echo\nRUN --network=none ls /sys/class/net | tr "\\n" " "; echo\n' });
  const host = await build(d, ctx, '--network', 'host', '--no-cache');
  assert.equal(host.code, 0, host.stderr);
  const outputs = host.stdout.split(' ---> Running in ').slice(1).map((s) => s.split('\n')[1]);
  assert.ok(outputs[0].split(' ').length > 2, `host network interfaces: ${outputs[0]}`);
  assert.equal(outputs[1], 'lo ');
  const bad = await build(d, ctx, '--network', 'nosuchnet');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /network nosuchnet not found/);
});
