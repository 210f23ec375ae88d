// Container filesystem verbs: diff, export, cp (archive endpoints), commit.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import tar from 'tar-stream';
import { apiRequest, importBusybox, mountsUnder, repoRoot, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';

let d: BerthdHandle;
const cli = (...args: string[]) => runCli(args, { socket: d.socket });
const ok = async (...args: string[]) => {
  const r = await cli(...args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

/** A tar made in memory, so names like "../x" are kept as they are. */
async function tarOf(entries: Array<{ name: string; body: string }>): Promise<Buffer> {
  const pack = tar.pack();
  for (const e of entries) pack.entry({ name: e.name, mode: 0o644 }, e.body);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => d?.stop());

test('diff shows A, C and D in path order; the API returns Path/Kind', async () => {
  await ok('run', '--name', 'dif', 'busybox', 'sh', '-c', 'echo x >> /etc/passwd; touch /tmp/new; rm /bin/ls; mkdir -p /a/b; echo hi > /a/b/c');
  const out = await ok('diff', 'dif');
  assert.equal(out, ['A /a', 'A /a/b', 'A /a/b/c', 'C /bin', 'D /bin/ls', 'C /etc', 'C /etc/passwd', 'C /tmp', 'A /tmp/new', ''].join('\n'));
  const api = await apiRequest(d.socket, 'GET', '/containers/dif/changes');
  assert.equal(api.status, 200);
  assert.deepEqual(JSON.parse(api.body.toString()).slice(0, 2), [{ Path: '/a', Kind: 1 }, { Path: '/a/b', Kind: 1 }]);
  const none = await cli('diff', 'nosuch');
  assert.equal(none.code, 1);
  assert.equal(none.stderr, 'Error response from daemon: No such container: nosuch\n');
  // A container that changed nothing (beyond its runtime mount points) has no changes.
  await ok('run', '--name', 'clean', 'busybox', 'true');
  assert.equal(await ok('diff', 'clean'), '');
});

test('export is a tar of the merged filesystem and refuses a terminal', async () => {
  await ok('run', '--name', 'exp', 'busybox', 'sh', '-c', 'echo exported > /root/f; rm /etc/group');
  const file = path.join(d.dir, 'exp.tar');
  await ok('export', '-o', file, 'exp');
  const names = execFileSync('tar', ['tf', file], { encoding: 'utf8' }).split('\n');
  assert.ok(names.includes('root/f'));
  assert.ok(names.includes('bin/busybox'));
  assert.ok(!names.includes('etc/group'));
  assert.equal(execFileSync('tar', ['xOf', file, 'root/f'], { encoding: 'utf8' }), 'exported\n');
  // On a terminal (script(1) gives the CLI one) export refuses to write the tar.
  const tty = spawnSync('script', ['-qec', `${process.execPath} ${path.join(repoRoot, 'dist/src/cmd/berth.js')} export exp`, '/dev/null'], {
    env: { ...process.env, BERTH_HOST: d.host },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(tty.status, 1);
  assert.match(tty.stdout, /cowardly refusing to save to a terminal\. Use the -o flag or redirect/);
  const api = await apiRequest(d.socket, 'GET', '/containers/nosuch/export');
  assert.equal(api.status, 404);
  assert.equal(mountsUnder(d.dataRoot).length, 0, 'a stopped container is unmounted again');
});

test('cp out of and into a stopped container: files, directories, symlinks, docker rules', async () => {
  await ok('create', '--name', 'stp', 'busybox');
  await ok('run', '--name', 'src1', 'busybox', 'sh', '-c', 'mkdir -p /d/sub && echo one > /d/sub/f && ln -s sub/f /d/link && ln -s /etc /etcl');
  const out = path.join(d.dir, 'out');
  mkdirSync(out);
  // Directory into an existing directory: lands as out/d.
  await ok('cp', 'src1:/d', out);
  assert.equal(readFileSync(path.join(out, 'd/sub/f'), 'utf8'), 'one\n');
  assert.equal(readlinkSync(path.join(out, 'd/link')), 'sub/f');
  // A new destination takes the source's place; "dir/." copies the contents.
  await ok('cp', 'src1:/d', path.join(out, 'renamed'));
  assert.ok(existsSync(path.join(out, 'renamed/sub/f')));
  mkdirSync(path.join(out, 'contents'));
  await ok('cp', 'src1:/d/.', path.join(out, 'contents'));
  assert.ok(existsSync(path.join(out, 'contents/sub/f')));
  // A symlink is copied as a link; -L follows it.
  await ok('cp', 'src1:/etcl', path.join(out, 'l1'));
  assert.ok(lstatSync(path.join(out, 'l1')).isSymbolicLink());
  await ok('cp', '-L', 'src1:/d/link', path.join(out, 'l2'));
  assert.equal(readFileSync(path.join(out, 'l2'), 'utf8'), 'one\n');
  // File onto an existing file replaces it.
  writeFileSync(path.join(out, 'target'), 'old');
  await ok('cp', 'src1:/d/sub/f', path.join(out, 'target'));
  assert.equal(readFileSync(path.join(out, 'target'), 'utf8'), 'one\n');
  // Docker's errors.
  let r = await cli('cp', 'src1:/nope', out);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'Error response from daemon: Could not find the file /nope in container src1\n');
  r = await cli('cp', 'src1:/d', path.join(out, 'target'));
  assert.equal(r.stderr, 'cannot copy directory\n');
  r = await cli('cp', 'src1:/d/sub/f', path.join(out, 'nodir') + '/');
  assert.equal(r.stderr, 'no such directory\n');
  r = await cli('cp', 'src1:/d', path.join(out, 'x/y/z'));
  assert.equal(r.stderr, `invalid output path: directory "${path.join(out, 'x/y')}" does not exist\n`);
  r = await cli('cp', path.join(out, 'nope'), 'stp:/');
  assert.equal(r.stderr, `lstat ${path.join(out, 'nope')}: no such file or directory\n`);
  r = await cli('cp', path.join(out, 'target'), 'stp:/etc/passwd/x');
  assert.equal(r.code, 1);

  // Into the stopped container: a directory with a symlink, and a file renamed on the way.
  const local = path.join(d.dir, 'local');
  mkdirSync(path.join(local, 'inner'), { recursive: true });
  writeFileSync(path.join(local, 'inner/file'), 'payload\n');
  symlinkSync('inner/file', path.join(local, 'ln'));
  await ok('cp', local, 'stp:/opt');
  await ok('cp', path.join(local, 'inner/file'), 'stp:/renamed.txt');
  assert.equal(mountsUnder(d.dataRoot).length, 0);
  // /opt did not exist: the directory became it.
  await ok('cp', 'stp:/opt/ln', path.join(out, 'ln-back'));
  assert.equal(readlinkSync(path.join(out, 'ln-back')), 'inner/file');
  await ok('cp', 'stp:/renamed.txt', path.join(out, 'renamed.txt'));
  assert.equal(readFileSync(path.join(out, 'renamed.txt'), 'utf8'), 'payload\n');
  // Without -a files belong to the container's root; with -a they keep their owner.
  execFileSync('chown', ['1234:5678', path.join(local, 'inner/file')]);
  await ok('cp', path.join(local, 'inner/file'), 'stp:/plain');
  await ok('cp', '-a', path.join(local, 'inner/file'), 'stp:/kept');
  const stat = (p: string) =>
    JSON.parse(Buffer.from(String(headers(p)), 'base64').toString()) as { name: string; mode: number; size: number };
  const heads = new Map<string, string>();
  const headers = (p: string) => heads.get(p);
  for (const p of ['/plain', '/kept', '/opt']) {
    const h = await apiRequest(d.socket, 'HEAD', `/containers/stp/archive?path=${encodeURIComponent(p)}`);
    assert.equal(h.status, 200);
    heads.set(p, String(h.headers['x-docker-container-path-stat']));
  }
  assert.equal(stat('/plain').name, 'plain');
  assert.equal(stat('/plain').size, 8);
  assert.ok(stat('/opt').mode >= 2 ** 31, 'a directory carries Go ModeDir');
  const tarOut = path.join(d.dir, 'owners.tar');
  const g1 = await apiRequest(d.socket, 'GET', '/containers/stp/archive?path=/plain');
  const g2 = await apiRequest(d.socket, 'GET', '/containers/stp/archive?path=/kept');
  writeFileSync(tarOut, g1.body);
  assert.match(execFileSync('tar', ['tvnf', tarOut], { encoding: 'utf8' }), /^-rw-r--r-- 0\/0 /);
  writeFileSync(tarOut, g2.body);
  assert.match(execFileSync('tar', ['tvnf', tarOut], { encoding: 'utf8' }), /^-rw-r--r-- 1234\/5678 /);
});

test('cp in and out of a running container, and tar streams with -', async () => {
  await ok('run', '-d', '--name', 'live', 'busybox', 'sleep', '60');
  const file = path.join(d.dir, 'live-in');
  writeFileSync(file, 'to the live one\n');
  await ok('cp', file, 'live:/tmp/');
  const exec = await cli('exec', 'live', 'cat', '/tmp/live-in');
  if (exec.code === 0) assert.equal(exec.stdout, 'to the live one\n');
  const out = path.join(d.dir, 'live-out');
  await ok('cp', 'live:/tmp/live-in', out);
  assert.equal(readFileSync(out, 'utf8'), 'to the live one\n');
  // "-": a tar on stdout (the stat header too) and on stdin.
  const g = await apiRequest(d.socket, 'GET', '/containers/live/archive?path=/tmp/live-in');
  assert.equal(g.status, 200);
  const st = JSON.parse(Buffer.from(String(g.headers['x-docker-container-path-stat']), 'base64').toString());
  assert.equal(st.name, 'live-in');
  assert.equal(st.linkTarget, '');
  const tarFile = path.join(d.dir, 'stdin.tar');
  execFileSync('tar', ['cf', tarFile, '-C', d.dir, 'live-in']);
  const r = await runCli(['cp', '-', 'live:/root'], { socket: d.socket, input: readFileSync(tarFile) });
  assert.equal(r.code, 0, r.stderr);
  const back = await apiRequest(d.socket, 'GET', '/containers/live/archive?path=/root/live-in');
  assert.equal(back.status, 200);
  const bad = await runCli(['cp', '-', 'live:/etc/passwd'], { socket: d.socket, input: readFileSync(tarFile) });
  assert.equal(bad.stderr, 'destination "live:/etc/passwd" must be a directory\n');
  await ok('rm', '-f', 'live');
});

test('.. and symlinks never lead a write outside the container root', async () => {
  const outside = path.join(d.dir, 'outside');
  mkdirSync(outside);
  await ok('run', '--name', 'esc', 'busybox', 'sh', '-c', `mkdir -p ${outside} && ln -s ../../../../../../..${outside} /evil && ln -s ${outside} /evil2`);
  const f = path.join(d.dir, 'payload');
  writeFileSync(f, 'x');
  await ok('cp', f, `esc:/../../../../..${outside}/`);
  await ok('cp', f, 'esc:/evil/');
  await ok('cp', f, 'esc:/evil2/p2');
  assert.deepEqual(execFileSync('ls', ['-A', outside], { encoding: 'utf8' }), '', 'nothing was written on the host');
  // The writes landed inside the container, where the paths point there.
  const ls = await apiRequest(d.socket, 'HEAD', `/containers/esc/archive?path=${encodeURIComponent(`${outside}/payload`)}`);
  assert.equal(ls.status, 200);
  const ls2 = await apiRequest(d.socket, 'HEAD', `/containers/esc/archive?path=${encodeURIComponent(`${outside}/p2`)}`);
  assert.equal(ls2.status, 200);
  // A tar entry with ../ is refused and writes nothing.
  const evilTar = path.join(d.dir, 'evil.tar');
  writeFileSync(evilTar, await tarOf([{ name: `../../../../../../..${outside}/tarred`, body: 'x' }]));
  const put = await apiRequest(d.socket, 'PUT', '/containers/esc/archive?path=/etc', { file: evilTar });
  assert.equal(put.status, 400, put.body.toString());
  assert.equal(execFileSync('ls', ['-A', outside], { encoding: 'utf8' }), '');
  // A tar that plants a symlink and then writes through it stays inside too.
  const stage = path.join(d.dir, 'stage');
  mkdirSync(stage);
  symlinkSync(outside, path.join(stage, 'hop'));
  mkdirSync(path.join(d.dir, 'stage2/hop'), { recursive: true });
  writeFileSync(path.join(d.dir, 'stage2/hop/through'), 'x');
  const planted = path.join(d.dir, 'planted.tar');
  execFileSync('tar', ['cf', planted, '-C', stage, 'hop', '-C', path.join(d.dir, 'stage2'), 'hop/through']);
  const put2 = await apiRequest(d.socket, 'PUT', '/containers/esc/archive?path=/', { file: planted });
  assert.equal(put2.status, 200, put2.body.toString());
  assert.equal(execFileSync('ls', ['-A', outside], { encoding: 'utf8' }), '');
  assert.equal(mountsUnder(d.dataRoot).length, 0);
});

test('commit makes an image that runs with the container changes, -c, -m, -a', async () => {
  await ok('run', '--name', 'com', 'busybox', 'sh', '-c', 'echo committed > /made-here && rm /etc/group && mkdir -p /o && touch /o/x');
  const id = (await ok('commit', '-m', 'the message', '-a', 'Someone <s@x>', '-c', 'ENV COMMITTED=yes', '-c', 'CMD ["cat","/made-here"]', 'com', 'committed:v1')).trim();
  assert.match(id, /^sha256:[a-f0-9]{64}$/);
  assert.equal(await ok('run', '--rm', 'committed:v1'), 'committed\n');
  assert.equal(await ok('run', '--rm', 'committed:v1', 'sh', '-c', 'echo $COMMITTED; test -e /etc/group || echo gone; ls /o'), 'yes\ngone\nx\n');
  const img = JSON.parse(await ok('image', 'inspect', 'committed:v1'))[0];
  assert.equal(img.Id, id);
  assert.equal(img.Comment, 'the message');
  assert.equal(img.Author, 'Someone <s@x>');
  assert.equal(img.RootFS.Layers.length, 2);
  // Committing a running container (paused meanwhile) and an API call without a repo.
  await ok('run', '-d', '--name', 'com2', 'busybox', 'sh', '-c', 'echo live > /live; sleep 60');
  for (let i = 0; i < 50 && (await cli('diff', 'com2')).stdout.indexOf('/live') < 0; i++) await new Promise((r) => setTimeout(r, 100));
  const res = await apiRequest(d.socket, 'POST', '/commit?container=com2');
  assert.equal(res.status, 201, res.body.toString());
  const newId = JSON.parse(res.body.toString()).Id as string;
  assert.equal(await ok('run', '--rm', newId, 'cat', '/live'), 'live\n');
  assert.equal((await cli('inspect', '--format', '{{.State.Running}}', 'com2')).stdout.trim(), 'true');
  await ok('rm', '-f', 'com2');
  // A commit on top of a committed image; a removed-and-recreated directory (opaque) hides the old children.
  await ok('run', '--name', 'com3', 'committed:v1', 'sh', '-c', 'rm -rf /var/spool && mkdir -p /var/spool && touch /var/spool/fresh && rm /made-here');
  assert.match(await ok('diff', 'com3'), /^D \/made-here\n/m);
  await ok('commit', 'com3', 'committed:v2');
  assert.equal(await ok('run', '--rm', 'committed:v2', 'sh', '-c', 'ls /var/spool; test -e /made-here || echo gone; echo $COMMITTED'), 'fresh\ngone\nyes\n');
  assert.equal(JSON.parse(await ok('image', 'inspect', 'committed:v2'))[0].RootFS.Layers.length, 3);
  const bad = await cli('commit', '-c', 'FROM x', 'com');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /from is not a valid change command/);
});
