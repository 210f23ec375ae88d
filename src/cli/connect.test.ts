import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveHost, socketPathOf } from './connect.js';

test('-H wins, then BERTH_HOST, then DOCKER_HOST, then the default socket', () => {
  const env = { BERTH_HOST: 'unix:///b.sock', DOCKER_HOST: 'unix:///d.sock' };
  assert.equal(resolveHost({ hosts: ['unix:///h.sock'] }, env), 'unix:///h.sock');
  assert.equal(resolveHost({ hosts: [] }, env), 'unix:///b.sock');
  assert.equal(resolveHost({ hosts: [] }, { DOCKER_HOST: 'unix:///d.sock' }), 'unix:///d.sock');
  assert.equal(resolveHost({ hosts: [] }, {}), 'unix:///run/berth/berth.sock');
  assert.equal(resolveHost({ hosts: [] }, { BERTH_DEFAULT_SOCKET: '/tmp/x.sock' }), 'unix:///tmp/x.sock');
});

test('only unix sockets are accepted for now', () => {
  assert.equal(socketPathOf('unix:///run/berth/berth.sock'), '/run/berth/berth.sock');
  assert.throws(() => socketPathOf('tcp://127.0.0.1:2375'), /unsupported host "tcp:\/\/127\.0\.0\.1:2375"/);
});
