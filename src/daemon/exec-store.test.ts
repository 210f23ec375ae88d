import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBus } from '../core/events.js';
import { execConfigFrom, type ExecRecord } from '../core/exec-config.js';
import type { Daemon } from './daemon.js';
import { ExecStore } from './exec-store.js';

const record = (id: string, containerId: string, over: Partial<ExecRecord> = {}): ExecRecord => ({
  id, containerId, config: execConfigFrom({ Cmd: ['true'] }, ''), running: false, exitCode: null, pid: 0, canRemove: false, ...over,
});

function store() {
  const events = new EventBus();
  const s = new ExecStore({ events } as unknown as Daemon);
  return { s, events };
}

test('exact IDs only; unknown ones are Docker\'s 404', () => {
  const { s } = store();
  s.add(record('abc123', 'c1'));
  assert.equal(s.get('abc123').containerId, 'c1');
  assert.throws(() => s.get('abc'), /No such exec instance: abc/);
  s.close();
});

test('ExecIDs: created and running execs of the container, not finished ones', () => {
  const { s } = store();
  s.add(record('created', 'c1'));
  s.add(record('running', 'c1', { running: true }));
  s.add(record('done', 'c1', { exitCode: 0 }));
  s.add(record('other', 'c2'));
  assert.deepEqual(s.liveIdsOf('c1'), ['created', 'running']);
  s.close();
});

test('the collector drops a finished exec on its second round, never a live one', () => {
  const { s } = store();
  s.add(record('done', 'c1', { exitCode: 3 }));
  s.add(record('running', 'c1', { running: true }));
  s.add(record('created', 'c1'));
  s.collect();
  assert.equal(s.get('done').canRemove, true);
  s.collect();
  assert.throws(() => s.get('done'), /No such exec instance/);
  assert.equal(s.get('running').canRemove, false);
  assert.equal(s.get('created').canRemove, false);
  s.close();
});

test('removing the container (its destroy event) drops its execs', () => {
  const { s, events } = store();
  s.add(record('e1', 'c1', { running: true }));
  s.add(record('e2', 'c2'));
  events.publish('container', 'destroy', 'c1');
  assert.throws(() => s.get('e1'), /No such exec instance/);
  assert.equal(s.get('e2').id, 'e2');
  s.close();
});

test('waitStarted settles when the exec has started, or says it timed out', async () => {
  const { s } = store();
  s.add(record('e1', 'c1'));
  const waiting = s.waitStarted('e1', 60_000);
  s.markStarted('e1');
  assert.equal(await waiting, true);
  s.add(record('e2', 'c1'));
  assert.equal(await s.waitStarted('e2', 1), false);
  s.close();
});
