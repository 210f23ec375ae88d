import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findCached, sameStepConfig } from './cache-probe.js';

const base = { Cmd: ['/bin/sh', '-c', '#(nop) ', 'ENV A=1'], Env: ['PATH=/bin', 'A=1'], Labels: { a: 'b' }, WorkingDir: '/app' };

test('sameStepConfig: Image and Hostname never count; command, env, labels, ports, volumes and the rest do', () => {
  assert.equal(sameStepConfig(base, { ...base, Image: 'sha256:other', Hostname: 'abc' }), true);
  assert.equal(sameStepConfig(base, { ...base, Cmd: ['/bin/sh', '-c', '#(nop) ', 'ENV A=2'] }), false);
  assert.equal(sameStepConfig(base, { ...base, Env: ['PATH=/bin'] }), false);
  assert.equal(sameStepConfig(base, { ...base, Labels: { a: 'c' } }), false);
  assert.equal(sameStepConfig(base, { ...base, ExposedPorts: { '80/tcp': {} } }), false);
  assert.equal(sameStepConfig(base, { ...base, WorkingDir: '/' }), false);
  assert.equal(sameStepConfig(base, { ...base, Labels: {}, }), false);
  assert.equal(sameStepConfig({ ...base, Labels: null }, { ...base, Labels: {} }), true);
  assert.equal(sameStepConfig({ ...base, OpenStdin: true }, { ...base, OpenStdin: true }), false, 'never a match with stdin open');
  assert.equal(sameStepConfig(undefined, base), false);
});

test('findCached picks the newest matching candidate', () => {
  const c = [
    { id: 'old', containerConfig: base, created: '2024-01-01T00:00:00Z' },
    { id: 'new', containerConfig: base, created: '2024-06-01T00:00:00Z' },
    { id: 'other', containerConfig: { ...base, Env: [] }, created: '2025-01-01T00:00:00Z' },
  ];
  assert.equal(findCached(c, base), 'new');
  assert.equal(findCached(c, { ...base, User: 'x' }), undefined);
});
