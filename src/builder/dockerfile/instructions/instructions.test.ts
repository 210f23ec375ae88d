import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BFlags } from './bflags.js';
import { exposedPortKeys } from './expose-ports.js';
import { parseGoDuration } from '../../../api/go-strconv.js';
import { parseMount } from './run-mount.js';

test('BFlags: declared flags only, Docker wording', () => {
  const parse = (args: string[]) => {
    const f = new BFlags(args);
    const s = f.addString('from', '');
    const b = f.addBool('link', false);
    const m = f.addStrings('mount');
    f.parse();
    return [s.value, b.value, m.values];
  };
  assert.deepEqual(parse(['--from=a', '--link', '--mount=x', '--mount=y']), ['a', 'true', ['x', 'y']]);
  assert.deepEqual(parse(['--link=FALSE']), ['', 'false', []]);
  assert.deepEqual(parse(['--', '--bogus']), ['', 'false', []]);
  assert.throws(() => parse(['--bogus']), /^Error: Unknown flag: bogus$/);
  assert.throws(() => parse(['--from']), /^Error: Missing a value on flag: from$/);
  assert.throws(() => parse(['--link=']), /^Error: Missing a value on flag: link$/);
  assert.throws(() => parse(['--from=a', '--from=b']), /^Error: Duplicate flag specified: from$/);
  assert.throws(() => parse(['--link=yes']), /^Error: Expecting boolean value for flag link, not: yes$/);
  assert.throws(() => parse(['-x']), /^Error: Arg should start with -- : -x$/);
});

test('parseGoDuration follows time.ParseDuration', () => {
  const ok: [string, number][] = [
    ['0', 0], ['1ns', 1], ['1.5s', 1.5e9], ['1m30s', 90e9], ['2h', 7200e9], ['-3ms', -3e6], ['+5us', 5000],
    ['5µs', 5000], ['.5s', 0.5e9], ['1.s', 1e9], ['1h1m1s1ms', 3661.001e9],
  ];
  for (const [s, want] of ok) assert.equal(parseGoDuration(s), want, s);
  assert.throws(() => parseGoDuration(''), /^GoValueError: time: invalid duration ""$/);
  assert.throws(() => parseGoDuration('5'), /^GoValueError: time: missing unit in duration "5"$/);
  assert.throws(() => parseGoDuration('1x'), /^GoValueError: time: unknown unit "x" in duration "1x"$/);
  assert.throws(() => parseGoDuration('.s'), /^GoValueError: time: invalid duration ".s"$/);
  assert.throws(() => parseGoDuration('s'), /^GoValueError: time: invalid duration "s"$/);
  assert.throws(() => parseGoDuration('9999999999h'), /invalid duration/);
});

test('parseMount: types, defaults, validation', () => {
  const id = (v: string) => v;
  assert.deepEqual(parseMount('type=cache,target=/c', id), { type: 'cache', target: '/c', readOnly: false });
  assert.deepEqual(parseMount('target=/b,source=s', id), { type: 'bind', target: '/b', source: 's', readOnly: true });
  assert.deepEqual(parseMount('type=bind,target=/b,rw=true', id), { type: 'bind', target: '/b', readOnly: false });
  assert.deepEqual(parseMount('type=ssh,required=1', id), { type: 'ssh', required: true, readOnly: true });
  assert.deepEqual(parseMount('"type=cache","target=/a,b"', id), { type: 'cache', target: '/a,b', readOnly: false });
  assert.deepEqual(parseMount('type=cache,target=$D', (v) => v.replace('$D', '/d')), { type: 'cache', target: '/d', readOnly: false });
  assert.throws(() => parseMount('type=nope', id), /^Error: unsupported mount type "nope"$/);
  assert.throws(() => parseMount('type=bind,mode=0700', id), /^Error: mode not allowed for "bind" type mounts$/);
  assert.throws(() => parseMount('type=cache,mode=9', id), /^Error: invalid value 9 for mode$/);
  assert.throws(() => parseMount('type=cache,sharing=maybe', id), /^Error: unsupported sharing value "maybe"$/);
  assert.throws(() => parseMount('type=bind,sharing=locked', id), /^Error: invalid cache sharing set for bind mount$/);
  assert.throws(() => parseMount('type=secret', id), /^Error: invalid secret mount. one of source, target required$/);
  assert.throws(() => parseMount('type=bind,size=1m', id), /^Error: unexpected key 'size' for mount type 'bind'$/);
  assert.throws(() => parseMount('type=bind,readonly=maybe', id), /^Error: invalid value for readonly: maybe$/);
  assert.throws(() => parseMount('bogus', id), /^Error: invalid field 'bogus' must be a key=value pair$/);
  assert.throws(() => parseMount('', id), /failed to parse csv mounts: EOF/);
  assert.throws(() => parseMount('from=$X', undefined), /'from' doesn't support variable expansion/);
  // At parse time (no expander) only `from` is looked at.
  assert.deepEqual(parseMount('type=$T,target=/x,from=tools'), { type: 'bind', readOnly: true, from: 'tools' });
});

test('exposedPortKeys validates like nat.ParsePortSpecs', () => {
  assert.deepEqual(exposedPortKeys(['80', '443/UDP', '8000-8002/tcp', '80/tcp']), ['80/tcp', '443/udp', '8000/tcp', '8001/tcp', '8002/tcp']);
  assert.deepEqual(exposedPortKeys(['127.0.0.1:8080:80']), ['80/tcp']);
  assert.throws(() => exposedPortKeys(['abc']), /^Error: Invalid containerPort: abc$/);
  assert.throws(() => exposedPortKeys(['80/xyz']), /^Error: Invalid proto: xyz$/);
  assert.throws(() => exposedPortKeys(['70000']), /^Error: Invalid containerPort: 70000$/);
  assert.throws(() => exposedPortKeys(['/tcp']), /^Error: No port specified: \/tcp<empty>$/);
});
