import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RuntimeProcess } from '../oci/runtime-spec.js';
import { execConfigFrom } from './exec-config.js';
import { buildExecProcess, capabilityNames, execEnv } from './exec-process.js';

const base: RuntimeProcess = {
  terminal: false,
  consoleSize: { height: 10, width: 10 },
  user: { uid: 1000, gid: 1000, additionalGids: [1000] },
  args: ['sleep', '100'],
  env: ['PATH=/bin', 'HOME=/home/app'],
  cwd: '/app',
  capabilities: { bounding: ['CAP_KILL'], effective: ['CAP_KILL'], permitted: ['CAP_KILL'], inheritable: [], ambient: [] },
  rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
  noNewPrivileges: true,
};

test('environment: defaults, then the container\'s, then the exec\'s own; TERM only for a TTY exec', () => {
  const env = execEnv({ Hostname: 'h1', Env: ['A=1', 'B=2'] }, false, ['B=3', 'C=4']);
  assert.deepEqual(env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOSTNAME=h1', 'A=1', 'B=3', 'C=4']);
  assert.ok(execEnv({ Hostname: 'h1' }, true, []).includes('TERM=xterm'));
  assert.deepEqual(execEnv({ Hostname: 'h1', Env: ['PATH=/x'] }, false, [])[0], 'PATH=/x');
});

test('the container\'s process is kept (user, capabilities, rlimits, no-new-privileges); command, env and cwd are the exec\'s', () => {
  const p = buildExecProcess({ base, config: execConfigFrom({ Cmd: ['id'] }, ''), env: ['A=1'], allCapabilities: [] });
  assert.deepEqual(p.args, ['id']);
  assert.deepEqual(p.env, ['A=1']);
  assert.equal(p.cwd, '/');
  assert.deepEqual(p.user, base.user);
  assert.deepEqual(p.capabilities, base.capabilities);
  assert.deepEqual(p.rlimits, base.rlimits);
  assert.equal(p.noNewPrivileges, true);
  assert.equal(p.terminal, false);
  assert.equal(p.consoleSize, undefined, 'the container\'s console size is not the exec\'s');
});

test('-u replaces the user; --privileged gives every given capability; a TTY exec gets its console size', () => {
  const config = execConfigFrom({ Cmd: ['sh'], User: 'nobody', Privileged: true, Tty: true, WorkingDir: '/tmp' }, '');
  const p = buildExecProcess({
    base, config, env: [], user: { uid: 65534, gid: 65534, additionalGids: [65534], home: '/' },
    allCapabilities: ['CAP_CHOWN', 'CAP_SYS_ADMIN'], consoleSize: { height: 30, width: 100 },
  });
  assert.deepEqual(p.user, { uid: 65534, gid: 65534, additionalGids: [65534] });
  assert.deepEqual(p.capabilities?.bounding, ['CAP_CHOWN', 'CAP_SYS_ADMIN']);
  assert.deepEqual(p.capabilities?.effective, ['CAP_CHOWN', 'CAP_SYS_ADMIN']);
  assert.deepEqual(p.capabilities?.inheritable, []);
  assert.equal(p.terminal, true);
  assert.equal(p.cwd, '/tmp');
  assert.deepEqual(p.consoleSize, { height: 30, width: 100 });
});

test('capability masks as /proc/<pid>/status prints them', () => {
  assert.deepEqual(capabilityNames('0000000000000001'), ['CAP_CHOWN']);
  assert.deepEqual(capabilityNames('0'), []);
  const all = capabilityNames('000001ffffffffff');
  assert.equal(all.length, 41);
  assert.equal(all.at(-1), 'CAP_CHECKPOINT_RESTORE');
  // This machine's: everything but CAP_SYS_RESOURCE (bit 24).
  const host = capabilityNames('000001fffeffffff');
  assert.equal(host.includes('CAP_SYS_RESOURCE'), false);
  assert.equal(host.length, 40);
});
