import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conmonExecArgs, type ConmonExecOptions } from './conmon-exec.js';

const base: ConmonExecOptions = {
  containerId: 'c'.repeat(64),
  execId: 'e'.repeat(64),
  runtimePath: '/usr/sbin/runc',
  runtimeRoot: '/run/berth/runc',
  dir: '/run/berth/execs/eee',
  processSpec: '/run/berth/execs/eee/process.json',
  pidFile: '/run/berth/execs/eee/pid',
  socketDir: '/run/berth/socks',
  terminal: false,
  stdin: false,
  attach: true,
};

const value = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

test('an exec runs as Podman runs one: --exec with its process spec, -c the container, -u the exec', () => {
  const args = conmonExecArgs(base);
  assert.equal(value(args, '--api-version'), '1');
  assert.equal(value(args, '-c'), base.containerId);
  assert.equal(value(args, '-u'), base.execId);
  assert.equal(value(args, '-b'), base.dir);
  assert.equal(value(args, '--exec-process-spec'), base.processSpec);
  assert.equal(value(args, '--socket-dir-path'), base.socketDir);
  assert.ok(args.includes('-e'));
  assert.ok(args.includes('--exec-attach'));
  assert.equal(value(args, '--runtime-arg'), '--root=/run/berth/runc');
});

test('no exit dir (conmon would name the file after the container) and no log file', () => {
  const args = conmonExecArgs(base);
  assert.equal(args.includes('--exit-dir'), false);
  assert.equal(value(args, '-l'), 'none');
});

test('-t, -i and --exec-attach only when asked for', () => {
  const plain = conmonExecArgs({ ...base, attach: false });
  assert.equal(plain.includes('-t') || plain.includes('-i') || plain.includes('--exec-attach'), false);
  const tty = conmonExecArgs({ ...base, terminal: true, stdin: true });
  assert.ok(tty.includes('-t') && tty.includes('-i'));
});
