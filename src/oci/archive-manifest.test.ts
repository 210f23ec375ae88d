import { test } from 'node:test';
import assert from 'node:assert/strict';
import { archiveLinkTarget, archivePath, buildManifestJson, buildRepositories, parseManifestJson } from './archive-manifest.js';

test('manifest.json: Docker field names, null RepoTags for an untagged image, Parent only when set', () => {
  const out = buildManifestJson([
    { Config: 'blobs/sha256/a', RepoTags: ['busybox:latest'], Layers: ['blobs/sha256/l'] },
    { Config: 'blobs/sha256/b', RepoTags: [], Layers: [], Parent: 'sha256:p' },
  ]).toString();
  assert.equal(
    out,
    '[{"Config":"blobs/sha256/a","RepoTags":["busybox:latest"],"Layers":["blobs/sha256/l"]},' +
      '{"Config":"blobs/sha256/b","RepoTags":null,"Layers":[],"Parent":"sha256:p"}]\n',
  );
  const back = parseManifestJson(Buffer.from(out));
  assert.deepEqual(back[0], { Config: 'blobs/sha256/a', RepoTags: ['busybox:latest'], Layers: ['blobs/sha256/l'] });
  assert.equal(back[1].RepoTags, null);
  assert.equal(back[1].Parent, 'sha256:p');
  assert.equal(buildRepositories({ busybox: { latest: 'abc' } }).toString(), '{"busybox":{"latest":"abc"}}\n');
});

test('manifest.json as Docker 20.10 writes it (legacy paths) parses', () => {
  const legacy = '[{"Config":"2947.json","RepoTags":null,"Layers":["b441/layer.tar"]}]';
  assert.deepEqual(parseManifestJson(Buffer.from(legacy)), [{ Config: '2947.json', RepoTags: null, Layers: ['b441/layer.tar'] }]);
});

test('malformed manifest.json is refused with the reason', () => {
  assert.throws(() => parseManifestJson(Buffer.from('null')), /manifest cannot be null/);
  assert.throws(() => parseManifestJson(Buffer.from('{}')), /not a JSON array/);
  assert.throws(() => parseManifestJson(Buffer.from('[{"Layers":[]}]')), /item 0: missing Config/);
  assert.throws(() => parseManifestJson(Buffer.from('[{"Config":"c","Layers":[1]}]')), /Layers must be a list of paths/);
  assert.throws(() => parseManifestJson(Buffer.from('[')), /invalid manifest.json: /);
});

test('archive paths are cleaned; absolute paths and ".." are refused', () => {
  assert.equal(archivePath('./blobs//sha256/x'), 'blobs/sha256/x');
  assert.equal(archivePath('manifest.json'), 'manifest.json');
  assert.throws(() => archivePath('../etc/passwd'), /invalid archive entry "..\/etc\/passwd": path escapes the archive root/);
  assert.throws(() => archivePath('a/../../b'), /escapes/);
  assert.throws(() => archivePath('/etc/passwd'), /absolute path/);
});

test('symlinks inside an archive resolve relative to their directory and may not leave it', () => {
  assert.equal(archiveLinkTarget('b/layer.tar', '../a/layer.tar'), 'a/layer.tar');
  assert.equal(archiveLinkTarget('x', 'y'), 'y');
  assert.throws(() => archiveLinkTarget('b/layer.tar', '../../etc/passwd'), /escapes the archive root/);
  assert.throws(() => archiveLinkTarget('b/layer.tar', '/etc/passwd'), /absolute path/);
});
