// The real docker CLI v28 against berthd, and the same scenario against the reference dockerd 20.10:
// images (and -q, --digests, a reference filter), tag, rmi, import (file, stdin, -c/-m), image inspect, history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { busyboxRootfs, type RunResult } from '../helpers/daemon.js';
import { cleanup, compatDaemons, normIds, normRecord, parseTable, show, tableRecords, uniquePrefix } from './differential.js';

const env = compatDaemons({ reference: true });
const P = uniquePrefix('img');
const repo = (s: string) => `${P}-${s}`;
const SHA = /^sha256:[0-9a-f]{64}\n$/;

/** Runs `body` against both daemons (berth first), then removes `containers` and `images` on both. */
async function onBoth(
  what: { containers?: string[]; images?: string[] },
  body: (socket: string, which: 'berth' | 'ref') => Promise<void>,
): Promise<void> {
  const refSocket = env.ref();
  try {
    await body(env.berth, 'berth');
    await body(refSocket, 'ref');
  } finally {
    await cleanup(env.berth, what);
    await cleanup(refSocket, what);
  }
}

async function imageId(socket: string, ref: string): Promise<string> {
  const r = await env.docker(socket, ['image', 'inspect', '--format', '{{.Id}}', ref]);
  assert.equal(r.code, 0, show(r));
  assert.match(r.stdout, SHA);
  return r.stdout.trim();
}

/** The `docker images` table rows for `repository` (other users' images on dockerd are left out). */
function rowsFor(r: RunResult, repository: string, what: string): Record<string, string>[] {
  assert.equal(r.code, 0, `${what}: ${show(r)}`);
  assert.equal(r.stderr, '', what);
  return tableRecords(parseTable(r.stdout, what)).filter((x) => x.REPOSITORY === repository);
}

// ---------------------------------------------------------------------------------------------- images

test('images: same header, alignment and busybox row as dockerd', async () => {
  const rows: Record<string, Record<string, string>[]> = {};
  const cols: Record<string, string[]> = {};
  await onBoth({}, async (socket, which) => {
    const r = await env.docker(socket, ['images']);
    assert.equal(r.code, 0, `${which}: ${show(r)}`);
    assert.equal(r.stderr, '', which);
    const t = parseTable(r.stdout, `${which} images`);
    cols[which] = t.columns;
    const bb = tableRecords(t).filter((x) => x.REPOSITORY === 'busybox');
    assert.equal(bb.length, 1, `${which}: one busybox row:\n${r.stdout}`);
    const id = await imageId(socket, 'busybox');
    assert.equal(bb[0]!['IMAGE ID'], id.slice('sha256:'.length, 'sha256:'.length + 12), `${which}: IMAGE ID is the short ID`);
    rows[which] = bb.map(normRecord);
  });
  assert.deepEqual(cols.ref, ['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE']);
  assert.deepEqual(cols.berth, cols.ref);
  // Both import the same rootfs tar, so even SIZE must agree.
  assert.deepEqual(rows.ref, [{ REPOSITORY: 'busybox', TAG: 'latest', 'IMAGE ID': '<id>', CREATED: '<ago>', SIZE: '1.99MB' }]);
  assert.deepEqual(rows.berth, rows.ref);
});

test('images -q prints one short ID a line, the same IDs as the table', async () => {
  await onBoth({}, async (socket, which) => {
    const q = await env.docker(socket, ['images', '-q']);
    assert.equal(q.code, 0, `${which}: ${show(q)}`);
    assert.match(q.stdout, /^([0-9a-f]{12}\n)+$/, which);
    const bb = (await imageId(socket, 'busybox')).slice(7, 19);
    assert.ok(q.stdout.split('\n').includes(bb), `${which}: busybox ${bb} is listed`);
    if (which === 'berth') {
      const table = tableRecords(parseTable((await env.docker(socket, ['images'])).stdout, 'berth images'));
      assert.deepEqual(q.stdout.split('\n').slice(0, -1), table.map((x) => x['IMAGE ID']), 'the same IDs, in table order');
    }
    const qb = await env.docker(socket, ['images', '-q', 'busybox']);
    assert.equal(qb.stdout, `${bb}\n`, which);
  });
});

test('images --digests adds a DIGEST column (<none> for an imported image)', async () => {
  const rows: Record<string, Record<string, string>[]> = {};
  const cols: Record<string, string[]> = {};
  await onBoth({}, async (socket, which) => {
    const r = await env.docker(socket, ['images', '--digests']);
    assert.equal(r.code, 0, `${which}: ${show(r)}`);
    const t = parseTable(r.stdout, `${which} images --digests`);
    cols[which] = t.columns;
    rows[which] = tableRecords(t).filter((x) => x.REPOSITORY === 'busybox').map(normRecord);
  });
  assert.deepEqual(cols.ref, ['REPOSITORY', 'TAG', 'DIGEST', 'IMAGE ID', 'CREATED', 'SIZE']);
  assert.deepEqual(cols.berth, cols.ref);
  assert.deepEqual(rows.ref, [{ REPOSITORY: 'busybox', TAG: 'latest', DIGEST: '<none>', 'IMAGE ID': '<id>', CREATED: '<ago>', SIZE: '1.99MB' }]);
  assert.deepEqual(rows.berth, rows.ref);
});

test('images busybox lists only busybox', async () => {
  const out: Record<string, Record<string, string>[]> = {};
  await onBoth({}, async (socket, which) => {
    const r = await env.docker(socket, ['images', 'busybox']);
    assert.deepEqual({ code: r.code, stderr: r.stderr }, { code: 0, stderr: '' }, which);
    out[which] = tableRecords(parseTable(r.stdout, `${which} images busybox`)).map(normRecord);
  });
  assert.deepEqual(out.ref, [{ REPOSITORY: 'busybox', TAG: 'latest', 'IMAGE ID': '<id>', CREATED: '<ago>', SIZE: '1.99MB' }]);
  assert.deepEqual(out.berth, out.ref);
});

test('images REPO works for repository names with "-" (a match, and no match: header only)', async () => {
  const img = `${repo('dash-name')}:v1`;
  const out: Record<string, { rows: Record<string, string>[]; none: string }> = {};
  await onBoth({ images: [img] }, async (socket, which) => {
    assert.equal((await env.docker(socket, ['tag', 'busybox', img])).code, 0, which);
    const r = await env.docker(socket, ['images', repo('dash-name')]);
    assert.deepEqual({ code: r.code, stderr: r.stderr }, { code: 0, stderr: '' }, `${which}: ${show(r)}`);
    const none = await env.docker(socket, ['images', repo('nothing-here')]);
    assert.deepEqual({ code: none.code, stderr: none.stderr }, { code: 0, stderr: '' }, `${which}: ${show(none)}`);
    out[which] = { rows: tableRecords(parseTable(r.stdout, `${which} images`)).map(normRecord), none: none.stdout };
  });
  assert.deepEqual(out.ref, {
    rows: [{ REPOSITORY: repo('dash-name'), TAG: 'v1', 'IMAGE ID': '<id>', CREATED: '<ago>', SIZE: '1.99MB' }],
    none: 'REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n',
  });
  assert.deepEqual(out.berth, out.ref);
});

// ------------------------------------------------------------------------------------------ tag / rmi

test('tag busybox mine:v1: images shows it with busybox\'s ID; rmi prints "Untagged: mine:v1"', async () => {
  const mine = repo('mine');
  await onBoth({ images: [`${mine}:v1`] }, async (socket, which) => {
    const t = await env.docker(socket, ['tag', 'busybox', `${mine}:v1`]);
    assert.deepEqual({ code: t.code, stdout: t.stdout, stderr: t.stderr }, { code: 0, stdout: '', stderr: '' }, which);
    const rows = rowsFor(await env.docker(socket, ['images']), mine, `${which} images`);
    const bb = (await imageId(socket, 'busybox')).slice(7, 19);
    assert.deepEqual(rows.map((x) => [x.REPOSITORY, x.TAG, x['IMAGE ID'], x.SIZE]), [[mine, 'v1', bb, '1.99MB']], which);

    const r = await env.docker(socket, ['rmi', `${mine}:v1`]);
    assert.deepEqual({ code: r.code, stdout: r.stdout, stderr: r.stderr }, { code: 0, stdout: `Untagged: ${mine}:v1\n`, stderr: '' }, which);
    assert.deepEqual(rowsFor(await env.docker(socket, ['images']), mine, which), [], `${which}: the tag is gone`);
    assert.equal((await imageId(socket, 'busybox')).slice(7, 19), bb, `${which}: busybox itself stays`);

    const missing = await env.docker(socket, ['rmi', `${mine}:v1`]);
    assert.deepEqual(
      { code: missing.code, stdout: missing.stdout, stderr: missing.stderr },
      { code: 1, stdout: '', stderr: `Error response from daemon: No such image: ${mine}:v1\n` },
      which,
    );
  });
});

test('rmi of an image a container uses: exit 1 and the same conflict messages as dockerd (by tag and by ID)', async () => {
  const used = `${repo('used')}:v1`;
  const ctr = repo('user');
  const errs: Record<string, { byTag: string; byId: string }> = {};
  const { file } = await busyboxRootfs();
  await onBoth({ containers: [ctr], images: [used] }, async (socket, which) => {
    const imp = await env.docker(socket, ['import', file, used]);
    assert.equal(imp.code, 0, `${which}: ${show(imp)}`);
    const id = imp.stdout.trim();
    const c = await env.docker(socket, ['create', '--name', ctr, used, 'true']);
    assert.equal(c.code, 0, `${which}: ${show(c)}`);
    const cid = c.stdout.trim();

    const byTag = await env.docker(socket, ['rmi', used]);
    assert.equal(byTag.code, 1, `${which}: ${show(byTag)}`);
    assert.equal(byTag.stdout, '', which);
    assert.equal(
      byTag.stderr,
      `Error response from daemon: conflict: unable to remove repository reference "${used}" (must force) - ` +
        `container ${cid.slice(0, 12)} is using its referenced image ${id.slice(7, 19)}\n`,
      which,
    );
    const byId = await env.docker(socket, ['rmi', id.slice(7, 19)]);
    assert.equal(byId.code, 1, `${which}: ${show(byId)}`);
    errs[which] = { byTag: normIds(byTag.stderr), byId: normIds(byId.stderr) };
    assert.equal(await imageId(socket, used), id, `${which}: still there`);
  });
  assert.equal(errs.ref!.byId, 'Error response from daemon: conflict: unable to delete <id> (must be forced) - image is being used by stopped container <id>\n');
  assert.deepEqual(errs.berth, errs.ref);
});

// ---------------------------------------------------------------------------------------------- import

test('import of a tar file: prints the image ID, the image runs, history says "Imported from -"', async () => {
  const img = `${repo('imp-file')}:v1`;
  const { file } = await busyboxRootfs();
  const hist: Record<string, Record<string, string>[]> = {};
  await onBoth({ images: [img] }, async (socket, which) => {
    const r = await env.docker(socket, ['import', file, img]);
    assert.equal(r.code, 0, `${which}: ${show(r)}`);
    assert.match(r.stdout, SHA, which);
    assert.equal(r.stderr, '', which);
    assert.equal(await imageId(socket, img), r.stdout.trim(), `${which}: the printed ID is the image's`);
    const run = await env.docker(socket, ['run', '--rm', img, 'echo', 'ok']);
    assert.deepEqual({ code: run.code, stdout: run.stdout }, { code: 0, stdout: 'ok\n' }, which);
    const h = await env.docker(socket, ['history', img]);
    hist[which] = tableRecords(parseTable(h.stdout, `${which} history`)).map(normRecord);
  });
  // The CLI streams the file, so the daemon sees "-" either way.
  assert.deepEqual(hist.ref, [{ IMAGE: '<id>', CREATED: '<ago>', 'CREATED BY': '', SIZE: '1.99MB', COMMENT: 'Imported from -' }]);
  assert.deepEqual(hist.berth, hist.ref);
});

test('import - reads the tar from stdin; the repository gets tag latest', async () => {
  const img = repo('imp-stdin');
  const { file } = await busyboxRootfs();
  const tar = readFileSync(file);
  const rows: Record<string, Record<string, string>[]> = {};
  await onBoth({ images: [`${img}:latest`] }, async (socket, which) => {
    const r = await env.docker(socket, ['import', '-', img], { input: tar });
    assert.equal(r.code, 0, `${which}: ${show(r)}`);
    assert.match(r.stdout, SHA, which);
    assert.equal(await imageId(socket, `${img}:latest`), r.stdout.trim(), which);
    // (plain `images`: the reference filter is tested on its own above)
    rows[which] = rowsFor(await env.docker(socket, ['images']), img, `${which} images`).map(normRecord);
    const run = await env.docker(socket, ['run', '--rm', img, 'cat', '/etc/group']);
    assert.equal(run.code, 0, `${which}: ${show(run)}`);
    assert.match(run.stdout, /^root:/m, which);
  });
  assert.deepEqual(rows.ref, [{ REPOSITORY: img, TAG: 'latest', 'IMAGE ID': '<id>', CREATED: '<ago>', SIZE: '1.99MB' }]);
  assert.deepEqual(rows.berth, rows.ref);
});

test('import -c \'CMD ["echo","hi"]\' -m msg: run --rm prints hi, history and inspect show the message', async () => {
  const img = `${repo('imp-cmd')}:v1`;
  const { file } = await busyboxRootfs();
  const tar = readFileSync(file);
  const hist: Record<string, { header: string; rows: Record<string, string>[] }> = {};
  await onBoth({ images: [img] }, async (socket, which) => {
    const r = await env.docker(socket, ['import', '-c', 'CMD ["echo","hi"]', '-m', 'msg', '-', img], { input: tar });
    assert.equal(r.code, 0, `${which}: ${show(r)}`);
    assert.match(r.stdout, SHA, which);
    const run = await env.docker(socket, ['run', '--rm', img]);
    assert.deepEqual({ code: run.code, stdout: run.stdout, stderr: run.stderr }, { code: 0, stdout: 'hi\n', stderr: '' }, which);
    const h = await env.docker(socket, ['history', img]);
    assert.equal(h.code, 0, `${which}: ${show(h)}`);
    const t = parseTable(h.stdout, `${which} history`);
    hist[which] = { header: t.columns.join('|'), rows: tableRecords(t).map(normRecord) };
    const i = await env.docker(socket, ['image', 'inspect', '--format', '{{json .Config.Cmd}} {{.Comment}}', img]);
    assert.equal(i.stdout, '["echo","hi"] msg\n', which);
  });
  assert.deepEqual(hist.ref!.rows, [{ IMAGE: '<id>', CREATED: '<ago>', 'CREATED BY': '', SIZE: '1.99MB', COMMENT: 'msg' }]);
  assert.deepEqual(hist.berth, hist.ref);
});

// ------------------------------------------------------------------------------------- inspect / history

test("image inspect --format '{{.Id}}' prints sha256:<64 hex>; a missing image exits 1", async () => {
  const missing = repo('no-such-image');
  await onBoth({}, async (socket, which) => {
    const r = await env.docker(socket, ['image', 'inspect', '--format', '{{.Id}}', 'busybox']);
    assert.deepEqual({ code: r.code, stderr: r.stderr }, { code: 0, stderr: '' }, which);
    assert.match(r.stdout, SHA, which);
    const q = (await env.docker(socket, ['images', '-q', 'busybox'])).stdout;
    assert.equal(q, `${r.stdout.slice(7, 19)}\n`, `${which}: images -q shows its prefix`);
    const m = await env.docker(socket, ['image', 'inspect', '--format', '{{.Id}}', missing]);
    assert.equal(m.code, 1, which);
    // dockerd 20.10 wraps it ("no such image: x: No such image: x:latest"); Docker 28 does not.
    assert.ok(m.stderr.startsWith('Error response from daemon: '), `${which}: ${m.stderr}`);
    assert.ok(m.stderr.endsWith(`No such image: ${missing}:latest\n`), `${which}: ${m.stderr}`);
  });
});

test('history busybox: same header and row as dockerd', async () => {
  const got: Record<string, { columns: string[]; rows: Record<string, string>[] }> = {};
  await onBoth({}, async (socket, which) => {
    const r = await env.docker(socket, ['history', 'busybox']);
    assert.deepEqual({ code: r.code, stderr: r.stderr }, { code: 0, stderr: '' }, which);
    const t = parseTable(r.stdout, `${which} history busybox`);
    got[which] = { columns: t.columns, rows: tableRecords(t).map(normRecord) };
  });
  assert.deepEqual(got.ref!.columns, ['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT']);
  assert.deepEqual(got.berth, got.ref);
});
