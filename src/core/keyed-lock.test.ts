import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedLock } from './keyed-lock.js';

test('sections with the same key never overlap; other keys run freely', async () => {
  const lock = new KeyedLock();
  const log: string[] = [];
  const tick = () => new Promise((r) => setImmediate(r));
  const section = (key: string, name: string) =>
    lock.run(key, async () => {
      log.push(`${name}+`);
      await tick();
      await tick();
      log.push(`${name}-`);
    });
  await Promise.all([section('a', 'a1'), section('a', 'a2'), section('b', 'b1')]);
  assert.deepEqual(log.filter((l) => l.startsWith('a')), ['a1+', 'a1-', 'a2+', 'a2-']);
  assert.ok(log.indexOf('b1+') < log.indexOf('a1-'), 'b ran while a1 was inside its section');
});

test('a failing section releases the lock', async () => {
  const lock = new KeyedLock();
  await assert.rejects(lock.run('k', async () => { throw new Error('boom'); }), /boom/);
  assert.equal(await lock.run('k', async () => 42), 42);
});
