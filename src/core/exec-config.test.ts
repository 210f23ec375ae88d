import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleSizeOf, execAction, execConfigFrom, execInspectView, execStartError, type ExecRecord } from './exec-config.js';

test('a create request becomes the exec config, the working directory defaulting to the container\'s', () => {
  const c = execConfigFrom({ Cmd: ['sh', '-c', 'exit 4'], AttachStdout: true, Env: ['A=1'], User: 'nobody' }, '/srv');
  assert.equal(c.entrypoint, 'sh');
  assert.deepEqual(c.args, ['-c', 'exit 4']);
  assert.equal(c.workingDir, '/srv');
  assert.equal(c.openStdout, true);
  assert.equal(c.openStdin, false);
  assert.equal(execConfigFrom({ Cmd: ['pwd'], WorkingDir: '/tmp' }, '/srv').workingDir, '/tmp');
  assert.throws(() => execConfigFrom({ Cmd: [] }, ''), /No exec command specified/);
  assert.throws(() => execConfigFrom({}, ''), /No exec command specified/);
});

test('event actions join entrypoint and arguments as dockerd does (trailing space without arguments)', () => {
  assert.equal(execAction('exec_create', execConfigFrom({ Cmd: ['sh', '-c', 'exit 4'] }, '')), 'exec_create: sh -c exit 4');
  assert.equal(execAction('exec_start', execConfigFrom({ Cmd: ['true'] }, '')), 'exec_start: true ');
});

test('inspect view: dockerd\'s fields in its order, user only when set, ExitCode null until run', () => {
  const r: ExecRecord = {
    id: 'e1', containerId: 'c1', config: execConfigFrom({ Cmd: ['true'], AttachStderr: true }, ''),
    running: false, exitCode: null, pid: 0, canRemove: false,
  };
  const v = execInspectView(r);
  assert.deepEqual(Object.keys(v), ['ID', 'Running', 'ExitCode', 'ProcessConfig', 'OpenStdin', 'OpenStderr', 'OpenStdout', 'CanRemove', 'ContainerID', 'DetachKeys', 'Pid']);
  assert.deepEqual(v.ProcessConfig, { tty: false, entrypoint: 'true', arguments: [], privileged: false });
  assert.equal(v.ExitCode, null);
  r.config.user = 'nobody';
  assert.equal(execInspectView(r).ProcessConfig.user, 'nobody');
});

test('console sizes: two positive integers, anything else is no size', () => {
  assert.deepEqual(consoleSizeOf([24, 80]), { height: 24, width: 80 });
  for (const v of [undefined, null, [], [24], [0, 80], [24, -1], ['24', 80], [1.5, 2]]) assert.equal(consoleSizeOf(v), undefined);
});

test('start failures are classed as dockerd does: missing or unusable commands 400, others 500', () => {
  const nf = 'OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH: unknown';
  assert.equal(execStartError('nosuchcmd', nf).kind, 'InvalidArgument');
  assert.equal(execStartError('nosuchcmd', nf).message, nf);
  assert.equal(execStartError('/etc', 'exec: "/etc": permission denied: unknown').kind, 'InvalidArgument');
  const cwd = 'OCI runtime exec failed: exec failed: unable to start container process: chdir to cwd ("/x") set in config.json failed: no such file or directory: unknown';
  assert.equal(execStartError('pwd', cwd).kind, 'Internal');
  assert.equal(execStartError('x', 'unable to find user ghost: no matching entries in passwd file').kind, 'Internal');
  assert.match(execStartError('x', 'mount: not a directory').message, /Are you trying to mount a directory onto a file/);
});
