import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chainIds, sha256 } from '../oci/digest.js';
import { importBuffer, makeTar, testDaemon, type TestDaemon } from './image-test-daemon.js';
import { imageHistory } from './image-history.js';
import { imageInspect } from './image-inspect.js';

const daemons: TestDaemon[] = [];
after(async () => {
  for (const t of daemons) await t.cleanup();
});

test('history of an imported image, and of a built one with an empty layer', async () => {
  const t = await testDaemon();
  daemons.push(t);
  const base = await makeTar([{ name: 'base', data: 'b'.repeat(100) }]);
  const id = await importBuffer(t.d, base, { repo: 'busybox' });
  const created = t.d.images.get(id)!.config.created!;
  assert.deepEqual(await imageHistory(t.d, 'busybox'), [
    { Id: id, Created: Math.floor(Date.parse(created) / 1000), CreatedBy: '', Tags: ['busybox:latest'], Size: 100, Comment: 'Imported from -' },
  ]);

  // A child image (as a build would make): one new layer plus a metadata-only step.
  const top = await makeTar([{ name: 'app', data: 'a'.repeat(7) }]);
  const [, chain2] = chainIds([sha256(base), sha256(top)]);
  const { Readable } = await import('node:stream');
  await t.d.snapshots.applyLayer(chain2, sha256(base), Readable.from([top]));
  const parentRec = t.d.images.get(id)!;
  const childConfig = {
    ...parentRec.config,
    created: '2024-05-01T10:00:00Z',
    rootfs: { type: 'layers' as const, diff_ids: [sha256(base), sha256(top)] },
    history: [
      ...parentRec.config.history!,
      { created: '2024-05-01T09:00:00Z', created_by: 'COPY app /app # buildkit' },
      { created: '2024-05-01T10:00:00Z', created_by: 'CMD ["app"]', empty_layer: true },
    ],
  };
  const blob = await t.d.content.put(Buffer.from(JSON.stringify(childConfig)));
  await t.d.images.put({ id: blob.digest, config: childConfig, layers: [], size: 107, parent: id });
  await t.d.images.setReference('docker.io/library/app:1', blob.digest);
  const h = await imageHistory(t.d, 'app:1');
  assert.deepEqual(
    h.map((i) => [i.Id, i.CreatedBy, i.Size, i.Tags]),
    [
      [blob.digest, 'CMD ["app"]', 0, ['app:1']],
      [id, 'COPY app /app # buildkit', 7, ['busybox:latest']],
      ['<missing>', '', 100, null],
    ],
  );

  const inspect = await imageInspect(t.d, 'app:1');
  assert.equal(inspect.Parent, id);
  assert.deepEqual(inspect.RootFS.Layers, [sha256(base), sha256(top)]);
  assert.equal(inspect.Comment, 'Imported from -', 'top-level comment of the config');
  assert.equal(inspect.Metadata.LastTagTime, '0001-01-01T00:00:00Z');
  assert.ok(inspect.GraphDriver.Data?.LowerDir);
});
