// Image commands through the berth CLI against a real berthd.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createReadStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { busyboxRootfs, importBusybox, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';

let d: BerthdHandle;
let tarFile: string;
let server: Server;
let url: string;
const cli = (...args: string[]) => runCli(args, { socket: d.socket });

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
  tarFile = (await busyboxRootfs()).file;
  server = createServer((_req, res) => createReadStream(tarFile).pipe(res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address() as { port: number };
  url = `http://127.0.0.1:${addr.port}/rootfs.tar`;
});
after(async () => {
  server?.close();
  await d?.stop();
});

const blobCount = () => readdirSync(path.join(d.dataRoot, 'content', 'blobs', 'sha256')).length;

test('images lists busybox in Docker\'s table; -q, --no-trunc and a reference argument', async () => {
  const r = await cli('images');
  assert.match(r.stdout, /^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE\nbusybox\s+latest\s+[a-f0-9]{12}\s+.+ ago\s+\d+(\.\d+)?MB\n$/);
  const id = (await cli('images', '-q')).stdout.trim();
  assert.match(id, /^[a-f0-9]{12}$/);
  assert.equal((await cli('images', '-q', '--no-trunc')).stdout.trim().slice(7, 19), id);
  assert.equal((await cli('images', '-q', 'busybox')).stdout.trim(), id);
  assert.equal((await cli('images', '-q', 'nothing')).stdout, '');
  assert.match((await cli('images', '--digests')).stdout, /^REPOSITORY\s+TAG\s+DIGEST\s+IMAGE ID/);
});

test('import from a file, stdin and a URL, with -c and -m; the result runs', async () => {
  const fromFile = await cli('import', '-c', 'CMD ["echo", "from-file"]', '-m', 'hello msg', tarFile, 'imp:file');
  assert.equal(fromFile.code, 0, fromFile.stderr);
  assert.match(fromFile.stdout, /^sha256:[a-f0-9]{64}\n$/);
  assert.equal((await cli('run', '--rm', 'imp:file')).stdout, 'from-file\n');
  const hist = await cli('history', '--format', '{{.Comment}}', 'imp:file');
  assert.equal(hist.stdout, 'hello msg\n');
  const fromStdin = await runCli(['import', '-c', 'ENV A=b', '-c', 'ENTRYPOINT ["/bin/sh", "-c"]', '-', 'imp:stdin'], {
    socket: d.socket,
    input: readFileSync(tarFile),
  });
  assert.equal(fromStdin.code, 0, fromStdin.stderr);
  assert.equal((await cli('run', '--rm', 'imp:stdin', 'echo $A')).stdout, 'b\n');
  const fromUrl = await cli('import', url, 'imp:url');
  assert.equal(fromUrl.code, 0, fromUrl.stderr);
  assert.equal((await cli('image', 'inspect', '--format', '{{.Comment}}', 'imp:url')).stdout, `Imported from ${url}\n`);
  assert.equal((await cli('rmi', 'imp:file', 'imp:stdin', 'imp:url')).code, 0);
});

test('a corrupt or truncated archive is refused and leaves nothing in the store', async () => {
  const before = blobCount();
  const imagesBefore = (await cli('images', '-aq')).stdout;
  const truncated = path.join(d.dir, 'truncated.tar');
  writeFileSync(truncated, readFileSync(tarFile).subarray(0, 700_000));
  const r = await cli('import', truncated, 'broken:1');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^Error response from daemon: .+/);
  const garbage = path.join(d.dir, 'garbage.tar');
  writeFileSync(garbage, 'this is not an archive at all'.repeat(100));
  const g = await cli('import', garbage, 'broken:2');
  assert.equal(g.code, 1);
  assert.match(g.stderr, /Error response from daemon: /);
  assert.equal(blobCount(), before);
  assert.equal((await cli('images', '-aq')).stdout, imagesBefore);
  assert.equal(readdirSync(path.join(d.dataRoot, 'content', 'ingest')).length, 0);
  const missing = await cli('import', path.join(d.dir, 'nope.tar'));
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no such file or directory/);
});

test('tag and rmi: untag versus delete, refusal while a container uses it, -f', async () => {
  assert.equal((await cli('tag', 'busybox', 'mine:v1')).code, 0);
  assert.match((await cli('images', '--format', '{{.Repository}}:{{.Tag}}')).stdout, /^mine:v1$/m);
  assert.equal((await cli('rmi', 'mine:v1')).stdout, 'Untagged: mine:v1\n');
  const id = (await cli('create', 'busybox')).stdout.trim();
  const refused = await cli('rmi', 'busybox');
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^Error response from daemon: conflict: unable to remove repository reference "busybox" \(must force\) - container [a-f0-9]{12} is using its referenced image [a-f0-9]{12}\n$/);
  assert.equal((await cli('rm', id)).code, 0);
  assert.equal((await cli('tag', 'busybox', 'other:tag')).code, 0);
  const byId = (await cli('images', '-q', 'busybox')).stdout.trim();
  const multi = await cli('rmi', byId);
  assert.match(multi.stderr, /conflict: unable to delete [a-f0-9]{12} \(must be forced\) - image is referenced in multiple repositories/);
  assert.equal((await cli('rmi', 'other:tag')).code, 0);
  const bad = await cli('tag', 'busybox', 'Bad:Name');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /invalid reference format/);
  const nope = await cli('rmi', 'nope');
  assert.equal(nope.stderr, 'Error response from daemon: No such image: nope:latest\n');
});

test('inspect, history, filters and prune of dangling images', async () => {
  const inspect = JSON.parse((await cli('image', 'inspect', 'busybox')).stdout);
  assert.equal(inspect.length, 1);
  assert.match(inspect[0].Id, /^sha256:[a-f0-9]{64}$/);
  assert.deepEqual(inspect[0].Config.Cmd, ['sh']);
  assert.equal(inspect[0].RootFS.Layers.length, 1);
  assert.match((await cli('history', 'busybox')).stdout, /^IMAGE\s+CREATED\s+CREATED BY\s+SIZE\s+COMMENT\n[a-f0-9]{12}\s+/);
  // An import with no tag is dangling; prune removes it and only it.
  const dangling = (await cli('import', tarFile)).stdout.trim();
  assert.equal((await cli('images', '-q', '--no-trunc', '--filter', 'dangling=true')).stdout.trim(), dangling);
  const pruned = await cli('image', 'prune', '-f');
  assert.match(pruned.stdout, new RegExp(`Deleted Images:\\ndeleted: ${dangling}\\n`));
  assert.match(pruned.stdout, /Total reclaimed space: /);
  assert.equal((await cli('images', '-q', '--filter', 'dangling=true')).stdout, '');
  assert.match((await cli('images', '--format', '{{.Repository}}')).stdout, /^busybox$/m);
});

test('inspect --type and errors for missing objects', async () => {
  assert.equal((await cli('inspect', '--type', 'image', '--format', '{{.Os}}', 'busybox')).stdout, 'linux\n');
  const missing = await cli('inspect', 'nothing');
  assert.equal(missing.code, 1);
  assert.equal(missing.stdout, '[]\n');
  assert.equal(missing.stderr, 'Error: No such object: nothing\n');
  const c = await cli('container', 'inspect', 'nothing');
  assert.equal(c.stderr, 'Error response from daemon: No such container: nothing\n');
});
