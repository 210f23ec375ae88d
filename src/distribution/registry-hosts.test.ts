import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryHosts, splitHostPort } from './registry-hosts.js';

test('loopback and --insecure-registry entries may use http; others and Docker Hub may not', async () => {
  const h = new RegistryHosts({ insecureRegistries: ['myreg.example:5000', '10.1.0.0/16', 'http://other.example/'] });
  assert.equal(await h.isInsecure('127.0.0.1:5000'), true);
  assert.equal(await h.isInsecure('127.1.2.3'), true);
  assert.equal(await h.isInsecure('[::1]:5000'), true);
  assert.equal(await h.isInsecure('localhost:5000'), true);
  assert.equal(await h.isInsecure('myreg.example:5000'), true);
  assert.equal(await h.isInsecure('other.example:443'), true);
  assert.equal(await h.isInsecure('10.1.200.3:5000'), true);
  assert.equal(await h.isInsecure('10.2.0.1:5000'), false);
  assert.equal(await h.isInsecure('192.168.1.1:5000'), false);
  assert.equal(await h.isInsecure('docker.io'), false);
  assert.equal(h.apiHost('docker.io'), 'registry-1.docker.io');
  assert.equal(h.apiHost('127.0.0.1:5000'), '127.0.0.1:5000');
});

test('host and port of registry names', () => {
  assert.deepEqual(splitHostPort('[::1]:5000'), { host: '::1', port: '5000' });
  assert.deepEqual(splitHostPort('example.com'), { host: 'example.com', port: '' });
  assert.deepEqual(splitHostPort('example.com:443'), { host: 'example.com', port: '443' });
});
