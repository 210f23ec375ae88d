import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MiB } from '../api/units.js';
import {
  backstopFor,
  DEFAULT_MAX_FILE,
  DEFAULT_MAX_SIZE,
  detailPrefix,
  logPolicy,
  normalizeLogConfig,
  queryEscape,
  renderTag,
  type TagIdentity,
} from './log-options.js';

const refuses = (cfg: { Type?: string; Config?: Record<string, string> }, message: string) =>
  assert.throws(
    () => normalizeLogConfig({ Type: cfg.Type ?? '', Config: cfg.Config ?? {} }),
    (err: Error & { kind?: string }) => {
      assert.equal(err.kind, 'InvalidArgument');
      assert.equal(err.message, message);
      return true;
    },
  );

test('the default driver is json-file, stored as Docker stores it; no options means local\'s rotation', () => {
  assert.deepEqual(normalizeLogConfig(undefined), { Type: 'json-file', Config: {} });
  assert.deepEqual(normalizeLogConfig({ Type: '', Config: null as never }), { Type: 'json-file', Config: {} });
  assert.deepEqual(normalizeLogConfig({ Type: '', Config: { 'max-size': '1k' } }), { Type: 'json-file', Config: { 'max-size': '1k' } });
  const p = logPolicy(undefined);
  assert.equal(p.maxSize, DEFAULT_MAX_SIZE);
  assert.equal(p.maxSize, 20 * 1024 * 1024);
  assert.equal(p.maxFile, DEFAULT_MAX_FILE);
  assert.equal(p.maxFile, 5);
  assert.equal(p.readable, true);
});

test('json-file rules: max-size alone keeps one file, max-file alone keeps the default size', () => {
  assert.deepEqual(pick(logPolicy({ Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } })), [10_000_000, 3]);
  assert.deepEqual(pick(logPolicy({ Type: 'json-file', Config: { 'max-size': '100k' } })), [100_000, 1]);
  assert.deepEqual(pick(logPolicy({ Type: 'json-file', Config: { 'max-file': '2' } })), [DEFAULT_MAX_SIZE, 2]);
  // go-units' FromHumanSize is decimal whatever the suffix says.
  assert.deepEqual(pick(logPolicy({ Type: 'k8s-file', Config: { 'max-size': '1MiB', 'max-file': '4' } })), [1_000_000, 4]);
});

test('local rules: its own defaults, and 0 falls back to them', () => {
  assert.deepEqual(pick(logPolicy({ Type: 'local', Config: {} })), [DEFAULT_MAX_SIZE, 5]);
  assert.deepEqual(pick(logPolicy({ Type: 'local', Config: { 'max-size': '1m', 'max-file': '2' } })), [1_000_000, 2]);
  assert.deepEqual(pick(logPolicy({ Type: 'local', Config: { 'max-file': '0', compress: 'false' } })), [DEFAULT_MAX_SIZE, 1]);
});

test('none keeps no readable log; a small file is dropped as it fills', () => {
  const p = logPolicy({ Type: 'none', Config: {} });
  assert.equal(p.readable, false);
  assert.equal(p.maxFile, 1);
  assert.equal(p.maxSize, 1 * MiB);
  // Docker accepts any option with none over the API (the CLI refuses them).
  assert.deepEqual(normalizeLogConfig({ Type: 'none', Config: { foo: 'bar' } }), { Type: 'none', Config: { foo: 'bar' } });
});

test('the backstop is twice max-size and at least 8 MiB above it', () => {
  assert.equal(backstopFor(100_000), 100_000 + 8 * MiB);
  assert.equal(backstopFor(20 * MiB), 40 * MiB);
  assert.equal(logPolicy(undefined).backstop, 40 * MiB);
});

test('unknown drivers and options: Docker\'s words', () => {
  refuses({ Type: 'bogus' }, 'error looking up logging plugin bogus: plugin "bogus" not found');
  refuses({ Type: 'syslog' }, 'error looking up logging plugin syslog: plugin "syslog" not found');
  refuses({ Config: { foo: 'bar' } }, "unknown log opt 'foo' for json-file log driver");
  refuses({ Type: 'local', Config: { labels: 'a' } }, "unknown log opt 'labels' for log driver local");
  refuses({ Type: 'local', Config: { tag: 'a' } }, "unknown log opt 'tag' for log driver local");
  refuses({ Type: 'k8s-file', Config: { foo: '' } }, "unknown log opt 'foo' for k8s-file log driver");
});

test('invalid values: Docker\'s words, with its "failed to initialize logging driver" prefix', () => {
  const f = (m: string) => `failed to initialize logging driver: ${m}`;
  refuses({ Config: { 'max-size': 'abc' } }, f("invalid size: 'abc'"));
  refuses({ Config: { 'max-size': '-1' } }, f("invalid size: '-1'"));
  refuses({ Config: { 'max-size': '0' } }, f('max-size must be a positive number'));
  refuses({ Config: { 'max-file': '0' } }, f('max-file cannot be less than 1'));
  refuses({ Config: { 'max-size': '10m', 'max-file': 'abc' } }, f('strconv.Atoi: parsing "abc": invalid syntax'));
  refuses({ Config: { compress: 'abc' } }, f('strconv.ParseBool: parsing "abc": invalid syntax'));
  refuses({ Config: { compress: 'true' } }, f('compress cannot be true when max-file is less than 2 or max-size is not set'));
  refuses({ Config: { 'labels-regex': '(' } }, f('error parsing regexp: missing closing ): `(`'));
  refuses({ Config: { 'env-regex': '(' } }, f('error parsing regexp: missing closing ): `(`'));
  refuses({ Type: 'local', Config: { 'max-size': 'abc' } }, f("invalid value for max-size: abc: invalid size: 'abc'"));
  refuses({ Type: 'local', Config: { 'max-file': '0' } }, f('compression cannot be enabled when max file count is 1'));
  refuses({ Type: 'local', Config: { 'max-file': 'x' } }, f('invalid value for max-file: x: strconv.Atoi: parsing "x": invalid syntax'));
  refuses({ Type: 'local', Config: { compress: 'x' } }, f('error reading compress log option: strconv.ParseBool: parsing "x": invalid syntax'));
  refuses({ Config: { tag: 'a{{.Nope}}' } }, f('template: log-tag:1:3: executing "log-tag" at <.Nope>: can\'t evaluate field Nope in type *logger.Info'));
  refuses({ Config: { tag: 'x\n{{ .Nope}}' } }, f('template: log-tag:2:3: executing "log-tag" at <.Nope>: can\'t evaluate field Nope in type *logger.Info'));
  refuses({ Config: { tag: '{{.Name' } }, f('template: log-tag:1: unclosed action'));
  // Accepted as Docker accepts them.
  normalizeLogConfig({ Type: 'json-file', Config: { 'max-size': '1k', 'max-file': '2', compress: 'true' } });
  normalizeLogConfig({ Type: 'json-file', Config: { 'max-file': '3' } });
  normalizeLogConfig({ Type: 'local', Config: { 'max-file': '3' } });
});

const who: TagIdentity = {
  id: 'abcdef0123456789'.repeat(4),
  name: '/web',
  imageId: `sha256:${'1234567890ab'.repeat(5)}1234`,
  imageName: 'busybox',
  command: ['echo', 'hi'],
  logPath: '/x/container.log',
};

test('tag templates: the fields of Docker\'s logger.Info', () => {
  assert.equal(renderTag('{{.ID}}|{{.Name}}|{{ .ImageID }}|{{.ImageName}}|{{.DaemonName}}|{{.Command}}', who), 'abcdef012345|web|sha256:12345|busybox|docker|echo hi');
  assert.equal(renderTag('{{.FullID}}', who), who.id);
  assert.equal(renderTag('plain', who), 'plain');
});

test('details: labels, labels-regex, env, env-regex and tag, sorted and query-escaped', () => {
  const labels = { a: '1', b: '2', c: '3', 'a/b': 'x y&z,' };
  const env = ['X=x1', 'Y=y1', 'BZ=bz', 'E=v=1 2', 'NOEQ'];
  const cfg = { Type: 'json-file', Config: { labels: 'b,a,missing', 'labels-regex': '^c', env: 'Y,X,MISSING', 'env-regex': '^B' } };
  assert.equal(detailPrefix(cfg, { labels, env, who }), 'BZ=bz,X=x1,Y=y1,a=1,b=2,c=3');
  assert.equal(
    detailPrefix({ Type: 'json-file', Config: { labels: 'a/b', env: 'E', tag: 'foo' } }, { labels, env, who }),
    'E=v%3D1+2,a%2Fb=x+y%26z%2C,tag=foo',
  );
  assert.equal(detailPrefix({ Type: 'json-file', Config: {} }, { labels, env, who }), '');
  assert.equal(detailPrefix({ Type: 'json-file', Config: { tag: '' } }, { labels, env, who }), '');
});

test('queryEscape is Go\'s url.QueryEscape', () => {
  assert.equal(queryEscape("a b!'()*~-_.é"), 'a+b%21%27%28%29%2A~-_.%C3%A9');
});

function pick(p: { maxSize: number; maxFile: number }): [number, number] {
  return [p.maxSize, p.maxFile];
}
