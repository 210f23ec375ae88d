import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyChanges, blankConfig } from './image-changes.js';

const apply = (...changes: string[]) => applyChanges(blankConfig(), changes);

test('CMD and ENTRYPOINT in exec and shell form', () => {
  assert.deepEqual(apply('CMD ["sh"]').Cmd, ['sh']);
  assert.deepEqual(apply('CMD echo "hi there"').Cmd, ['/bin/sh', '-c', 'echo "hi there"']);
  assert.deepEqual(apply('cmd [not json').Cmd, ['/bin/sh', '-c', '[not json']);
  const ep = apply('CMD ["a"]', 'ENTRYPOINT ["/init"]');
  assert.deepEqual([ep.Entrypoint, ep.Cmd], [['/init'], ['a']]);
  const inherited = applyChanges({ ...blankConfig(), Cmd: ['old'] }, ['ENTRYPOINT top -b']);
  assert.deepEqual([inherited.Entrypoint, inherited.Cmd], [['/bin/sh', '-c', 'top -b'], null]);
});

test('ENV and LABEL, both forms, with quotes and expansion', () => {
  const c = apply('ENV A=1 B="two words"', 'ENV C $A-${B}', 'ENV A=3', 'LABEL "com.x"="y z" plain=v', 'LABEL legacy form here');
  assert.deepEqual(c.Env, ['A=3', 'B=two words', 'C=1-two words']);
  assert.deepEqual(c.Labels, { 'com.x': 'y z', plain: 'v', legacy: 'form here' });
  assert.deepEqual(apply('ENV X=${UNSET:-dflt} Y=\'$lit\'').Env, ['X=dflt', 'Y=$lit']);
  assert.throws(() => apply('ENV A=1 B'), /Syntax error - can't find = in "B". Must be of the form: name=value/);
  assert.throws(() => apply('ENV ONLY'), /ENV must have two arguments/);
});

test('EXPOSE, USER, WORKDIR, VOLUME, STOPSIGNAL, ONBUILD, HEALTHCHECK', () => {
  const c = apply(
    'EXPOSE 80 53/udp 8000-8001',
    'USER app:app',
    'WORKDIR /srv',
    'WORKDIR data',
    'VOLUME ["/v1", "/v2"]',
    'VOLUME /v3 /v4',
    'STOPSIGNAL SIGQUIT',
    'ONBUILD RUN make \\',
    '  install',
    'HEALTHCHECK --interval=5s --retries=3 CMD curl -f http://localhost/',
  );
  assert.deepEqual(c.ExposedPorts, { '80/tcp': {}, '53/udp': {}, '8000/tcp': {}, '8001/tcp': {} });
  assert.equal(c.User, 'app:app');
  assert.equal(c.WorkingDir, '/srv/data');
  assert.deepEqual(Object.keys(c.Volumes ?? {}), ['/v1', '/v2', '/v3', '/v4']);
  assert.equal(c.StopSignal, 'SIGQUIT');
  assert.deepEqual(c.OnBuild, ['RUN make   install']);
  assert.deepEqual(c.Healthcheck, { Test: ['CMD-SHELL', 'curl -f http://localhost/'], Interval: 5e9, Retries: 3 });
  assert.deepEqual(apply('HEALTHCHECK NONE').Healthcheck, { Test: ['NONE'] });
  assert.deepEqual(apply('HEALTHCHECK CMD ["true"]').Healthcheck, { Test: ['CMD', 'true'] });
});

test('invalid changes are refused with Docker\'s messages', () => {
  assert.throws(() => apply('RUN make'), /^InvalidArgumentError: run is not a valid change command$/);
  assert.throws(() => apply('STOPSIGNAL FOO'), /Invalid signal: FOO/);
  assert.throws(() => apply('EXPOSE abc'), /invalid containerPort: abc/);
  assert.throws(() => apply('USER'), /USER requires exactly one argument/);
  assert.throws(() => apply('VOLUME ""'), /VOLUME specified can not be an empty string/);
  assert.throws(() => apply('ONBUILD ONBUILD RUN x'), /Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed/);
  assert.throws(() => apply('ONBUILD FROM x'), /FROM isn't allowed as an ONBUILD trigger/);
  assert.throws(() => apply('HEALTHCHECK BOGUS'), /Unknown type "BOGUS" in HEALTHCHECK \(try CMD\)/);
  // Nothing is applied when any change is invalid.
  assert.deepEqual(apply(), blankConfig());
});
