import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError, parseFlags, parseGoDuration, formatGoDuration, parseRamInBytes, type FlagDef } from './flags.js';
import { goQuote, parseGoFloat, parseGoInt, parseGoUint } from './flag-values.js';
import { flagUsages, wrapText } from './help.js';

const runFlags: FlagDef[] = [
  { name: 'detach', short: 'd', type: 'bool', usage: 'Run container in background and print container ID' },
  { name: 'interactive', short: 'i', type: 'bool', usage: 'Keep STDIN open even if not attached' },
  { name: 'tty', short: 't', type: 'bool', usage: 'Allocate a pseudo-TTY' },
  { name: 'rm', type: 'bool', usage: 'Automatically remove the container' },
  { name: 'env', short: 'e', type: 'stringArray', usage: 'Set environment variables' },
  { name: 'name', type: 'string', usage: 'Assign a name to the container' },
  { name: 'last', short: 'n', type: 'int', default: -1, usage: 'Show n last created containers' },
  { name: 'memory', short: 'm', type: 'bytes', usage: 'Memory limit' },
  { name: 'health-interval', type: 'duration', usage: 'Time between running the check (ms|s|m|h)' },
  { name: 'cpus', type: 'float', usage: 'Number of CPUs' },
  { name: 'size', type: 'uint', usage: 'Size' },
  { name: 'platform', type: 'stringSlice', usage: 'Platforms' },
];

const parse = (argv: string[], interspersed = true) => parseFlags(runFlags, argv, { interspersed });
const parseError = (argv: string[], interspersed = true): string => {
  try {
    parse(argv, interspersed);
  } catch (e) {
    assert.ok(e instanceof FlagError);
    return e.message;
  }
  assert.fail(`no error for ${argv.join(' ')}`);
};

test('long and short forms with values', () => {
  for (const argv of [['--name', 'web'], ['--name=web']]) assert.equal(parse(argv).values.name, 'web');
  for (const argv of [['-n', '5'], ['-n5'], ['-n=5'], ['--last', '5'], ['--last=5']]) assert.equal(parse(argv).values.last, 5);
  // a string flag swallows the next argument even if it looks like a flag
  assert.equal(parse(['--name', '--rm']).values.name, '--rm');
  // string takes the last value, stringArray accumulates
  const r = parse(['--name', 'a', '--name', 'b', '-e', 'A=1', '--env=B=2', '-eC=3']);
  assert.equal(r.values.name, 'b');
  assert.deepEqual(r.values.env, ['A=1', 'B=2', 'C=3']);
});

test('defaults are present and changed tracks what was set', () => {
  const r = parse(['-d']);
  assert.deepEqual(r.values, {
    detach: true, interactive: false, tty: false, rm: false, env: [], name: '', last: -1, memory: 0,
    'health-interval': 0, cpus: 0, size: 0, platform: [],
  });
  assert.deepEqual([...r.changed], ['detach']);
});

test('combined bool shorthands and a trailing value flag', () => {
  let r = parse(['-itd']);
  assert.deepEqual([r.values.interactive, r.values.tty, r.values.detach], [true, true, true]);
  r = parse(['-ie', 'FOO=1']);
  assert.equal(r.values.interactive, true);
  assert.deepEqual(r.values.env, ['FOO=1']);
  r = parse(['-ieFOO=1']);
  assert.deepEqual(r.values.env, ['FOO=1']);
  r = parse(['-ie=FOO=1']);
  assert.deepEqual(r.values.env, ['FOO=1']);
  r = parse(['-i=false', '-t']);
  assert.equal(r.values.interactive, false);
  assert.equal(r.values.tty, true);
});

test('bool flags accept =value', () => {
  assert.equal(parse(['--rm=false']).values.rm, false);
  assert.equal(parse(['--rm=T']).values.rm, true);
  assert.equal(parse(['--rm=0']).values.rm, false);
  assert.ok(parse(['--rm=false']).changed.has('rm'));
  // a bool never consumes the next argument
  assert.deepEqual(parse(['--rm', 'false']).args, ['false']);
});

test('positionals, --, lone - and interspersed', () => {
  let r = parse(['a', '-d', 'b', '--', '-i', 'c']);
  assert.deepEqual(r.args, ['a', 'b', '-i', 'c']);
  assert.equal(r.values.detach, true);
  assert.equal(r.values.interactive, false);
  assert.equal(r.argsLenAtDash, 2);
  assert.deepEqual(parse(['-', '-d', '']).args, ['-', '']);
  // docker run: everything after the image belongs to the container
  r = parse(['-it', '--rm', 'busybox', 'ls', '-l', '--rm', '--', 'x'], false);
  assert.deepEqual(r.args, ['busybox', 'ls', '-l', '--rm', '--', 'x']);
  assert.equal(r.values.rm, true);
  assert.equal(parse(['--', 'busybox'], false).args[0], 'busybox');
});

test('pflag error texts', () => {
  assert.equal(parseError(['--foo']), 'unknown flag: --foo');
  assert.equal(parseError(['--foo=bar']), 'unknown flag: --foo');
  assert.equal(parseError(['-x']), "unknown shorthand flag: 'x' in -x");
  assert.equal(parseError(['-dix']), "unknown shorthand flag: 'x' in -x");
  assert.equal(parseError(['-d-']), "unknown shorthand flag: '-' in --");
  assert.equal(parseError(['-i=']), "unknown shorthand flag: '=' in -=");
  assert.equal(parseError(['--name']), 'flag needs an argument: --name');
  assert.equal(parseError(['-e']), "flag needs an argument: 'e' in -e");
  assert.equal(parseError(['-ie']), "flag needs an argument: 'e' in -e");
  assert.equal(parseError(['---']), 'bad flag syntax: ---');
  assert.equal(parseError(['--=x']), 'bad flag syntax: --=x');
  assert.equal(parseError(['-n', 'x']), 'invalid argument "x" for "-n, --last" flag: strconv.ParseInt: parsing "x": invalid syntax');
  assert.equal(parseError(['-n=']), 'invalid argument "=" for "-n, --last" flag: strconv.ParseInt: parsing "=": invalid syntax');
  assert.equal(parseError(['--last=']), 'invalid argument "" for "-n, --last" flag: strconv.ParseInt: parsing "": invalid syntax');
  assert.equal(parseError(['-n', '99999999999999999999']),
    'invalid argument "99999999999999999999" for "-n, --last" flag: strconv.ParseInt: parsing "99999999999999999999": value out of range');
  assert.equal(parseError(['--rm=maybe']), 'invalid argument "maybe" for "--rm" flag: strconv.ParseBool: parsing "maybe": invalid syntax');
  assert.equal(parseError(['--health-interval', '1']), 'invalid argument "1" for "--health-interval" flag: time: missing unit in duration "1"');
  assert.equal(parseError(['--health-interval', '1x']), 'invalid argument "1x" for "--health-interval" flag: time: unknown unit "x" in duration "1x"');
  assert.equal(parseError(['-m', 'x']), `invalid argument "x" for "-m, --memory" flag: invalid size: 'x'`);
  assert.equal(parseError(['-m', '10x']), `invalid argument "10x" for "-m, --memory" flag: invalid suffix: 'x'`);
  assert.equal(parseError(['-m', 'abc1']), 'invalid argument "abc1" for "-m, --memory" flag: strconv.ParseFloat: parsing "abc1": invalid syntax');
  assert.equal(parseError(['--cpus', 'x']), 'invalid argument "x" for "--cpus" flag: strconv.ParseFloat: parsing "x": invalid syntax');
  assert.equal(parseError(['--size', '-1']), 'invalid argument "-1" for "--size" flag: strconv.ParseUint: parsing "-1": invalid syntax');
  assert.equal(parseError(['--name', 'a', '-n', 'q"\n']),
    'invalid argument "q\\"\\n" for "-n, --last" flag: strconv.ParseInt: parsing "q\\"\\n": invalid syntax');
});

test('value types', () => {
  const r = parse(['-m', '1.5g', '--health-interval', '1m30s', '--cpus', '1.5', '--size', '0x10', '--platform', 'linux/amd64,linux/arm64', '--platform', 'x']);
  assert.equal(r.values.memory, 1.5 * 1024 ** 3);
  assert.equal(r.values['health-interval'], 90_000);
  assert.equal(r.values.cpus, 1.5);
  assert.equal(r.values.size, 16);
  assert.deepEqual(r.values.platform, ['linux/amd64', 'linux/arm64', 'x']);
});

test('stringArray: first use replaces the default', () => {
  const defs: FlagDef[] = [{ name: 'dns', type: 'stringArray', default: ['8.8.8.8'], usage: '' }];
  assert.deepEqual(parseFlags(defs, []).values.dns, ['8.8.8.8']);
  assert.deepEqual(parseFlags(defs, ['--dns', '1.1.1.1', '--dns=9.9.9.9']).values.dns, ['1.1.1.1', '9.9.9.9']);
});

test('validate hooks, deprecation warnings and noOptDefault', () => {
  const defs: FlagDef[] = [
    {
      name: 'add-host', type: 'stringArray', usage: '',
      validate: (v) => {
        if (!v.includes(':')) throw new Error(`bad format for add-host: "${v}"`);
        return v.toLowerCase();
      },
    },
    { name: 'old', type: 'string', usage: '', deprecated: 'use --new instead' },
    { name: 'help', short: 'h', type: 'bool', usage: '', shorthandDeprecated: 'use --help' },
    { name: 'progress', type: 'string', noOptDefault: 'auto', usage: '' },
  ];
  const r = parseFlags(defs, ['--add-host', 'A:1', '--old', 'x', '-h', '--progress']);
  assert.deepEqual(r.values['add-host'], ['a:1']);
  assert.equal(r.values.progress, 'auto');
  assert.deepEqual(r.warnings, ['Flag --old has been deprecated, use --new instead', 'Flag shorthand -h has been deprecated, use --help']);
  assert.throws(() => parseFlags(defs, ['--add-host', 'bad']), {
    message: 'invalid argument "bad" for "--add-host" flag: bad format for add-host: "bad"',
  });
});

test('parseGoDuration follows time.ParseDuration', () => {
  assert.equal(parseGoDuration('10s'), 10_000);
  assert.equal(parseGoDuration('1m30s'), 90_000);
  assert.equal(parseGoDuration('500ms'), 500);
  assert.equal(parseGoDuration('1h'), 3_600_000);
  assert.equal(parseGoDuration('1.5h'), 5_400_000);
  assert.equal(parseGoDuration('-2m'), -120_000);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('.5s'), 500);
  assert.equal(parseGoDuration('250us'), 0.25);
  assert.equal(parseGoDuration('1µs'), 0.001);
  assert.throws(() => parseGoDuration(''), { message: 'time: invalid duration ""' });
  assert.throws(() => parseGoDuration('.s'), { message: 'time: invalid duration ".s"' });
  assert.throws(() => parseGoDuration('1h1'), { message: 'time: missing unit in duration "1h1"' });
  assert.throws(() => parseGoDuration('5d'), { message: 'time: unknown unit "d" in duration "5d"' });
  assert.throws(() => parseGoDuration('99999999999h'), { message: 'time: invalid duration "99999999999h"' });
  assert.equal(formatGoDuration(90_000), '1m30s');
  assert.equal(formatGoDuration(3_600_000), '1h0m0s');
  assert.equal(formatGoDuration(1500), '1.5s');
  assert.equal(formatGoDuration(500), '500ms');
  assert.equal(formatGoDuration(0), '0s');
});

test('Go integer, float and size syntax', () => {
  assert.equal(parseGoInt('0x1f'), 31);
  assert.equal(parseGoInt('017'), 15);
  assert.equal(parseGoInt('0o17'), 15);
  assert.equal(parseGoInt('0b101'), 5);
  assert.equal(parseGoInt('1_000'), 1000);
  assert.equal(parseGoInt('-9223372036854775808'), -9223372036854775808);
  assert.throws(() => parseGoInt('9223372036854775808'), /value out of range/);
  for (const bad of ['08', '0b2', '1__0', '_1', '1_', '0x', '+', '1.0']) assert.throws(() => parseGoInt(bad), /invalid syntax/, bad);
  assert.throws(() => parseGoUint('+1'), /strconv.ParseUint: parsing "\+1": invalid syntax/);
  assert.equal(parseGoFloat('1e3'), 1000);
  assert.equal(parseGoFloat('.5'), 0.5);
  assert.equal(parseGoFloat('0x1p-2'), 0.25);
  assert.throws(() => parseGoFloat('1e400'), /value out of range/);
  assert.equal(parseRamInBytes('512m'), 512 * 1024 ** 2);
  assert.equal(parseRamInBytes('10 MiB'), 10 * 1024 ** 2);
  assert.equal(parseRamInBytes('1024'), 1024);
  assert.equal(parseRamInBytes('2kb'), 2048);
  assert.throws(() => parseRamInBytes('-1'), { message: "invalid size: '-1'" });
  assert.throws(() => parseRamInBytes('1kx'), { message: "invalid suffix: 'kx'" });
  assert.equal(goQuote('a"b\\c\t\x01é'), '"a\\"b\\\\c\\t\\x01é"');
});

test('flag usages match docker ps --help', () => {
  const psFlags: FlagDef[] = [
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Only display container IDs' },
    { name: 'size', short: 's', type: 'bool', usage: 'Display total file sizes' },
    { name: 'all', short: 'a', type: 'bool', usage: 'Show all containers (default shows just running)' },
    { name: 'no-trunc', type: 'bool', usage: "Don't truncate output" },
    { name: 'latest', short: 'l', type: 'bool', usage: 'Show the latest created container (includes all states)' },
    { name: 'last', short: 'n', type: 'int', default: -1, usage: 'Show n last created containers (includes all states)' },
    {
      name: 'format', type: 'string',
      usage: "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates",
    },
    { name: 'filter', short: 'f', type: 'stringArray', valueName: 'filter', usage: 'Filter output based on conditions provided' },
    { name: 'help', short: 'h', type: 'bool', hidden: true, usage: 'Print usage' },
  ];
  assert.equal(flagUsages(psFlags), [
    '  -a, --all             Show all containers (default shows just running)',
    '  -f, --filter filter   Filter output based on conditions provided',
    '      --format string   Format output using a custom template:',
    "                        'table':            Print output in table format",
    '                        with column headers (default)',
    "                        'table TEMPLATE':   Print output in table format",
    '                        using the given Go template',
    "                        'json':             Print in JSON format",
    "                        'TEMPLATE':         Print output using the given",
    '                        Go template.',
    '                        Refer to https://docs.docker.com/go/formatting/',
    '                        for more information about formatting output with',
    '                        templates',
    '  -n, --last int        Show n last created containers (includes all',
    '                        states) (default -1)',
    '  -l, --latest          Show the latest created container (includes all',
    '                        states)',
    "      --no-trunc        Don't truncate output",
    '  -q, --quiet           Only display container IDs',
    '  -s, --size            Display total file sizes',
    '',
  ].join('\n'));
});

test('flag usages: defaults, value names and docker run wrapping', () => {
  const defs: FlagDef[] = [
    {
      name: 'cgroupns', type: 'string',
      usage: "Cgroup namespace to use (host|private)\n'host':    Run the container in the Docker host's cgroup namespace\n'private': Run the container in its own private cgroup namespace\n'':        Use the cgroup namespace as configured by the\n           default-cgroupns-mode option on the daemon (default)",
    },
    { name: 'health-start-interval', type: 'duration', defaultText: '0s', usage: 'Time between running the check during the start period (ms|s|m|h)' },
    { name: 'pull', type: 'string', default: 'missing', usage: 'Pull image before running ("always", "missing", "never")' },
    { name: 'sig-proxy', type: 'bool', default: true, usage: 'Proxy received signals to the process' },
    { name: 'hostname', short: 'h', type: 'string', usage: 'Container host name' },
    { name: 'help', type: 'bool', usage: 'Print usage' },
    { name: 'shm-size', type: 'bytes', usage: 'Size of /dev/shm' },
    { name: 'stop-timeout', type: 'int', usage: 'Timeout (in seconds) to stop a container' },
    { name: 'secret', type: 'string', hidden: true, usage: 'hidden' },
  ];
  assert.equal(flagUsages(defs), [
    '      --cgroupns string                  Cgroup namespace to use',
    '                                         (host|private)',
    "                                         'host':    Run the container in",
    "                                         the Docker host's cgroup",
    '                                         namespace',
    "                                         'private': Run the container in",
    '                                         its own private cgroup namespace',
    "                                         '':        Use the cgroup",
    '                                         namespace as configured by the',
    '                                                    default-cgroupns-mode',
    '                                         option on the daemon (default)',
    '      --health-start-interval duration   Time between running the check',
    '                                         during the start period',
    '                                         (ms|s|m|h) (default 0s)',
    '      --help                             Print usage',
    '  -h, --hostname string                  Container host name',
    '      --pull string                      Pull image before running',
    '                                         ("always", "missing", "never")',
    '                                         (default "missing")',
    '      --shm-size bytes                   Size of /dev/shm',
    '      --sig-proxy                        Proxy received signals to the',
    '                                         process (default true)',
    '      --stop-timeout int                 Timeout (in seconds) to stop a',
    '                                         container',
    '',
  ].join('\n'));
  assert.equal(wrapText(4, 0, 'a\nb'), 'a\n    b');
});
