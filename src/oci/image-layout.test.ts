import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256 } from './digest.js';
import {
  blobPath,
  buildImageManifest,
  buildIndex,
  digestOfBlobPath,
  layerCompression,
  manifestDescriptor,
  ociLayerMediaType,
  parseImageManifest,
  parseIndex,
} from './image-layout.js';

const cfg = sha256('config');
const layer = sha256('layer');

test('the manifest is Docker-shaped JSON with a stable field order, and its digest is of those bytes', () => {
  const m = buildImageManifest(
    { size: 10, digest: cfg, mediaType: 'application/vnd.oci.image.config.v1+json' },
    [{ size: 20, mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layer }],
  );
  assert.equal(
    m.bytes.toString(),
    '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",' +
      `"config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"${cfg}","size":10},` +
      `"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"${layer}","size":20}]}`,
  );
  assert.equal(m.digest, sha256(m.bytes));
  const parsed = parseImageManifest(m.bytes, 'manifest');
  assert.equal(parsed.config.digest, cfg);
  assert.deepEqual(parsed.layers.map((l) => l.size), [20]);
});

test('index entries carry the containerd name and the tag; untagged ones carry none', () => {
  const m = buildImageManifest({ mediaType: 'application/vnd.oci.image.config.v1+json', digest: cfg, size: 1 }, []);
  const platform = { architecture: 'amd64', os: 'linux' };
  const tagged = manifestDescriptor(m, platform, { name: 'docker.io/library/busybox:latest', tag: 'latest' });
  const bare = manifestDescriptor(m, platform);
  const index = JSON.parse(buildIndex([tagged, bare]).toString());
  assert.equal(index.schemaVersion, 2);
  assert.equal(index.mediaType, 'application/vnd.oci.image.index.v1+json');
  assert.deepEqual(index.manifests[0].annotations, {
    'io.containerd.image.name': 'docker.io/library/busybox:latest',
    'org.opencontainers.image.ref.name': 'latest',
  });
  assert.equal(index.manifests[1].annotations, undefined);
  assert.deepEqual(index.manifests[0].platform, platform);
  assert.equal(parseIndex(buildIndex([tagged])).manifests[0].annotations?.['org.opencontainers.image.ref.name'], 'latest');
});

test('blob paths map to digests and back; other paths are not blobs', () => {
  assert.equal(blobPath(layer), `blobs/sha256/${layer.slice(7)}`);
  assert.equal(digestOfBlobPath(blobPath(layer)), layer);
  assert.equal(digestOfBlobPath('blobs/sha256/abc'), undefined);
  assert.equal(digestOfBlobPath(`x/blobs/sha256/${layer.slice(7)}`), undefined);
  assert.equal(digestOfBlobPath(`${layer.slice(7)}/layer.tar`), undefined);
});

test('layer media types: OCI and Docker ones are known with their compression; others are not', () => {
  assert.equal(layerCompression('application/vnd.oci.image.layer.v1.tar'), 'none');
  assert.equal(layerCompression('application/vnd.oci.image.layer.v1.tar+gzip'), 'gzip');
  assert.equal(layerCompression('application/vnd.docker.image.rootfs.diff.tar.gzip'), 'gzip');
  assert.equal(layerCompression('application/vnd.oci.image.layer.v1.tar+zstd'), 'zstd');
  assert.equal(layerCompression('application/x-foo'), undefined);
  assert.equal(ociLayerMediaType('gzip'), 'application/vnd.oci.image.layer.v1.tar+gzip');
  assert.equal(ociLayerMediaType('none'), 'application/vnd.oci.image.layer.v1.tar');
});

test('malformed manifests and indexes are InvalidArgument with the reason', () => {
  assert.throws(() => parseIndex(Buffer.from('nope')), /invalid index.json: /);
  assert.throws(() => parseIndex(Buffer.from('{"manifests":{}}')), /"manifests" must be an array/);
  assert.throws(
    () => parseIndex(Buffer.from('{"manifests":[{"mediaType":"x","digest":"md5:abc","size":1}]}')),
    /manifests\[0\]: unsupported digest "md5:abc"/,
  );
  const good = { schemaVersion: 2, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: cfg, size: 1 }, layers: [] };
  assert.throws(
    () => parseImageManifest(Buffer.from(JSON.stringify({ ...good, mediaType: 'application/vnd.oci.image.index.v1+json' })), 'm'),
    /unsupported manifest media type/,
  );
  assert.throws(() => parseImageManifest(Buffer.from(JSON.stringify({ ...good, schemaVersion: 1 })), 'm'), /schemaVersion/);
  assert.throws(
    () => parseImageManifest(Buffer.from(JSON.stringify({ ...good, config: { ...good.config, mediaType: 'text/plain' } })), 'm'),
    /unsupported config media type "text\/plain"/,
  );
  assert.throws(
    () => parseImageManifest(Buffer.from(JSON.stringify({ ...good, layers: [{ mediaType: 'x', digest: layer, size: -1 }] })), 'm'),
    /layers\[0\]: invalid size -1/,
  );
});
