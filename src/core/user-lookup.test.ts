import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveUser } from './user-lookup.js';

const passwd = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\napp:x:1000:1000::/home/app:/bin/sh\n';
const group = 'root:x:0:\nwheel:x:10:app\nnogroup:x:65534:\napp:x:1000:\n';

test('names, numbers and user:group resolve like Docker', () => {
  assert.deepEqual(resolveUser('', passwd, group), { uid: 0, gid: 0, additionalGids: [0], home: '/root' });
  assert.deepEqual(resolveUser('app', passwd, group), { uid: 1000, gid: 1000, additionalGids: [1000, 10], home: '/home/app' });
  assert.equal(resolveUser('nobody:wheel', passwd, group).gid, 10);
  // An explicit group replaces the user's supplementary groups (app is also in wheel).
  assert.deepEqual(resolveUser('app:nogroup', passwd, group).additionalGids, [65534]);
  assert.deepEqual(resolveUser('4242:4343', passwd, group), { uid: 4242, gid: 4343, additionalGids: [4343], home: '/' });
});

test('unknown names are refused with Docker\'s message', () => {
  assert.throws(() => resolveUser('ghost', passwd, group), /unable to find user ghost: no matching entries in passwd file/);
  assert.throws(() => resolveUser('app:ghosts', passwd, group), /unable to find group ghosts/);
});
