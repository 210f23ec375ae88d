import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kindOf } from '../errdefs/errors.js';
import { buildSchema2Manifest, parseManifest, parsePlatform, selectPlatform, type ManifestIndex } from './manifest.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const schema2 = {
  schemaVersion: 2,
  mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
  config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 10, digest: D('a') },
  layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 20, digest: D('b') }],
};

test('schema 2, OCI manifests (with or without mediaType) and indexes parse', () => {
  const m = parseManifest(Buffer.from(JSON.stringify(schema2)), undefined, 'x');
  assert.equal(m.kind, 'manifest');
  const oci = { ...schema2, mediaType: undefined, config: { ...schema2.config, mediaType: 'application/vnd.oci.image.config.v1+json' } };
  assert.equal(parseManifest(Buffer.from(JSON.stringify(oci)), 'application/vnd.oci.image.manifest.v1+json', 'x').mediaType, 'application/vnd.oci.image.manifest.v1+json');
  const index = { schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 5, digest: D('c'), platform: { os: 'linux', architecture: 'amd64' } }] };
  assert.equal(parseManifest(Buffer.from(JSON.stringify(index)), undefined, 'x').kind, 'index');
});

test('bad manifests are refused naming the image', () => {
  const bad = (body: string, re: RegExp) =>
    assert.throws(() => parseManifest(Buffer.from(body), undefined, 'img:1'), (e: Error) => re.test(e.message) && kindOf(e) === 'InvalidArgument');
  bad('not json', /error unmarshalling manifest for img:1/);
  bad('[]', /error unmarshalling manifest for img:1: not a JSON object/);
  bad(JSON.stringify({ schemaVersion: 1, name: 'x' }), /schema 1/);
  bad(JSON.stringify({ ...schema2, layers: [{ mediaType: 'application/x-weird', size: 1, digest: D('b') }] }), /unsupported media type application\/x-weird of layer sha256:b+ in the manifest of img:1/);
  bad(JSON.stringify({ ...schema2, layers: [{ ...schema2.layers[0], digest: 'sha256:zz' }] }), /layers\[0\] has an invalid digest/);
  bad(JSON.stringify({ ...schema2, mediaType: 'application/x-other' }), /unsupported manifest media type application\/x-other for img:1/);
});

test('platform selection from a manifest list', () => {
  const entry = (arch: string, variant?: string) => ({ mediaType: 'm', size: 1, digest: D(arch === 'amd64' ? 'a' : variant === 'v7' ? 'c' : 'b'), platform: { os: 'linux', architecture: arch, variant } });
  const index: ManifestIndex = { kind: 'index', mediaType: 'x', manifests: [entry('arm64', 'v8'), entry('amd64'), entry('arm', 'v7')] };
  assert.equal(selectPlatform(index, parsePlatform('linux/amd64'))?.digest, D('a'));
  assert.equal(selectPlatform(index, parsePlatform('linux/arm64'))?.digest, D('b'));
  assert.equal(selectPlatform(index, parsePlatform('linux/arm/v7'))?.digest, D('c'));
  assert.equal(selectPlatform(index, parsePlatform('linux/s390x')), undefined);
  assert.deepEqual(parsePlatform('arm64'), { os: 'linux', architecture: 'arm64' });
  assert.deepEqual(parsePlatform('linux/x86_64'), { os: 'linux', architecture: 'amd64' });
  assert.throws(() => parsePlatform('bogus'), /"bogus": unknown operating system or architecture: invalid argument/);
  assert.throws(() => parsePlatform('linux//x'), /unknown operating system or architecture/);
});

test('the schema 2 manifest berth pushes is indented as dockerd writes it', () => {
  const { bytes, mediaType } = buildSchema2Manifest(
    { mediaType: 'application/vnd.docker.container.image.v1+json', size: 10, digest: D('a') },
    [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 20, digest: D('b') }],
  );
  assert.equal(mediaType, 'application/vnd.docker.distribution.manifest.v2+json');
  assert.equal(
    bytes.toString(),
    `{\n   "schemaVersion": 2,\n   "mediaType": "application/vnd.docker.distribution.manifest.v2+json",\n   "config": {\n      "mediaType": "application/vnd.docker.container.image.v1+json",\n      "size": 10,\n      "digest": "${D('a')}"\n   },\n   "layers": [\n      {\n         "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",\n         "size": 20,\n         "digest": "${D('b')}"\n      }\n   ]\n}`,
  );
});
