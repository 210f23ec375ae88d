import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { CommandRegistry, StatusError, defineCommand, main, type CommandContext, type MainOptions } from './main.js';
import type { FlagValues } from './flags.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

interface Call {
  path: string;
  opts: FlagValues;
  args: string[];
  ctx: CommandContext;
}

// A kill command written the way command files are meant to be written.
interface KillOptions {
  signal: string;
}
const killCalls: Array<{ opts: KillOptions; args: string[] }> = [];
const kill = defineCommand<KillOptions>({
  name: 'kill',
  usage: 'kill [OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Kill one or more running containers',
  args: { min: 1 },
  flags: [{ name: 'signal', short: 's', type: 'string', usage: 'Signal to send to the container' }],
  async run(ctx, opts, args) {
    killCalls.push({ opts, args });
    const client = await ctx.getClient<{ kill(id: string, signal: string): Promise<void> }>();
    let failed = false;
    for (const id of args) {
      try {
        await client.kill(id, opts.signal);
        ctx.io.stdout.write(id + '\n');
      } catch (e) {
        ctx.io.stderr.write(`Error response from daemon: ${(e as Error).message}\n`);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  },
});

function fixture(calls: Call[]): CommandRegistry {
  const reg = new CommandRegistry();
  const record = (ctx: CommandContext, opts: FlagValues, args: string[]) => {
    calls.push({ path: ctx.commandPath, opts, args, ctx });
  };
  reg.add({
    name: 'run', usage: 'run [OPTIONS] IMAGE [COMMAND] [ARG...]', short: 'Create and run a new container from an image',
    interspersed: false, args: { min: 1 },
    flags: [
      { name: 'interactive', short: 'i', type: 'bool', usage: 'Keep STDIN open even if not attached' },
      { name: 'tty', short: 't', type: 'bool', usage: 'Allocate a pseudo-TTY' },
      { name: 'rm', type: 'bool', usage: 'Automatically remove the container when it exits' },
      { name: 'env', short: 'e', type: 'stringArray', usage: 'Set environment variables' },
      { name: 'hostname', short: 'h', type: 'string', usage: 'Container host name' },
      { name: 'help', type: 'bool', usage: 'Print usage' },
    ],
    async run(ctx, opts, args) {
      record(ctx, opts, args);
      if (args[0] === 'fail125') throw new StatusError('berth: boom', 125);
      if (args[0] === 'fail') throw new Error('Cannot connect to the Berth daemon');
      if (args[0] === 'exit3') return 3;
    },
  }, { group: 'container', topLevel: true, category: 'common', order: 1 });
  reg.add({
    name: 'ls', aliases: ['list', 'ps'], usage: 'ls [OPTIONS]', short: 'List containers', args: { exact: 0 },
    flags: [
      { name: 'all', short: 'a', type: 'bool', usage: 'Show all containers (default shows just running)' },
      { name: 'last', short: 'n', type: 'int', default: -1, usage: 'Show n last created containers (includes all states)' },
    ],
    async run(ctx, opts, args) {
      record(ctx, opts, args);
    },
  }, { group: 'container', topLevel: 'ps', category: 'common', order: 2 });
  reg.add({
    name: 'rm', aliases: ['remove'], usage: 'rm [OPTIONS] CONTAINER [CONTAINER...]', short: 'Remove one or more containers',
    args: { min: 1 }, flags: [], run: async (ctx, opts, args) => record(ctx, opts, args),
  }, { group: 'container', topLevel: true });
  reg.add(kill, { group: 'container', topLevel: true });
  return reg;
}

async function cli(argv: string[], options: MainOptions = {}, calls: Call[] = []) {
  const stdout = new Capture();
  const stderr = new Capture();
  const io = { stdout, stderr, stdin: new PassThrough(), env: { HOME: '/root' } };
  const code = await main(argv, io, fixture(calls), { version: '0.1.0', commit: 'abc1234', ...options });
  return { code, stdout: stdout.text, stderr: stderr.text, calls };
}

test('no arguments prints the top-level help to stderr', async () => {
  const r = await cli([]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
  assert.ok(r.stderr.startsWith('Usage:  berth [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\nCommon Commands:\n  run         Create and run a new container from an image\n  ps          List containers\n\nManagement Commands:\n  container   Manage containers\n\nCommands:\n  kill        Kill one or more running containers\n  rm          Remove one or more containers\n\nGlobal Options:\n'));
  assert.ok(r.stderr.endsWith("\n\nRun 'berth COMMAND --help' for more information on a command.\n"));
});

test('--help prints the top-level help with docker\'s global options to stdout', async () => {
  const r = await cli(['--help']);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '');
  const globals = r.stdout.slice(r.stdout.indexOf('Global Options:\n'), r.stdout.indexOf('\n\nRun '));
  assert.equal(globals, [
    'Global Options:',
    '      --config string      Location of client config files (default',
    '                           "/root/.berth")',
    '  -c, --context string     Name of the context to use to connect to the',
    '                           daemon (overrides DOCKER_HOST env var and',
    '                           default context set with "berth context use")',
    '  -D, --debug              Enable debug mode',
    '  -H, --host list          Daemon socket to connect to',
    '  -l, --log-level string   Set the logging level ("debug", "info",',
    '                           "warn", "error", "fatal") (default "info")',
    '      --tls                Use TLS; implied by --tlsverify',
    '      --tlscacert string   Trust certs signed only by this CA (default',
    '                           "/root/.berth/ca.pem")',
    '      --tlscert string     Path to TLS certificate file (default',
    '                           "/root/.berth/cert.pem")',
    '      --tlskey string      Path to TLS key file (default',
    '                           "/root/.berth/key.pem")',
    '      --tlsverify          Use TLS and verify the remote',
    '  -v, --version            Print version information and quit',
  ].join('\n'));
  const viaH = await cli(['-h']);
  assert.equal(viaH.stdout, r.stdout);
  assert.equal(viaH.stderr, 'Flag shorthand -h has been deprecated, use --help\n');
  assert.equal((await cli(['help'])).stdout, r.stdout);
  assert.equal((await cli(['foo', '--help'])).stdout, r.stdout);
});

test('version', async () => {
  for (const flag of ['-v', '--version']) {
    const r = await cli([flag]);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'Berth version 0.1.0, build abc1234\n', '']);
  }
  assert.equal((await cli(['--version', 'foo'])).stdout, 'Berth version 0.1.0, build abc1234\n');
  const r = await cli(['--version', 'ps']);
  assert.equal(r.calls[0].path, 'berth ps', '--version before a command is ignored, as in docker');
});

test('unknown command and global flag errors', async () => {
  let r = await cli(['foo']);
  assert.deepEqual([r.code, r.stdout], [1, '']);
  assert.equal(r.stderr, "berth: unknown command: berth foo\n\nRun 'berth --help' for more information\n");
  r = await cli(['--foo']);
  assert.equal(r.code, 125);
  assert.equal(r.stderr, "unknown flag: --foo\n\nUsage:  berth [OPTIONS] COMMAND [ARG...]\n\nRun 'berth --help' for more information\n");
  r = await cli(['-H']);
  assert.equal(r.code, 125);
  assert.equal(r.stderr, "flag needs an argument: 'H' in -H\n\nUsage:  berth [OPTIONS] COMMAND [ARG...]\n\nRun 'berth --help' for more information\n");
  r = await cli(['foo', '--bar']);
  assert.equal(r.code, 125);
  assert.ok(r.stderr.startsWith('unknown flag: --bar\n\nUsage:  berth [OPTIONS] COMMAND [ARG...]'));
  r = await cli(['--log-level=x', 'ps']);
  assert.deepEqual([r.code, r.stderr, r.calls.length], [1, 'Unable to parse logging level: x\n', 0]);
});

test('command flag errors exit 125 with the command usage', async () => {
  let r = await cli(['ps', '--foo']);
  assert.equal(r.code, 125);
  assert.equal(r.stderr, "unknown flag: --foo\n\nUsage:  berth ps [OPTIONS]\n\nRun 'berth ps --help' for more information\n");
  r = await cli(['container', 'ls', '-x']);
  assert.equal(r.stderr, "unknown shorthand flag: 'x' in -x\n\nUsage:  berth container ls [OPTIONS]\n\nRun 'berth container ls --help' for more information\n");
  r = await cli(['ps', '-n', 'x']);
  assert.equal(r.code, 125);
  assert.ok(r.stderr.startsWith('invalid argument "x" for "-n, --last" flag: strconv.ParseInt: parsing "x": invalid syntax\n\nUsage:  berth ps [OPTIONS]\n'));
  r = await cli(['run', '-h']);
  assert.equal(r.code, 125);
  assert.ok(r.stderr.startsWith("flag needs an argument: 'h' in -h\n\nUsage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]\n"));
  r = await cli(['run', '--rm=maybe', 'busybox']);
  assert.ok(r.stderr.startsWith('invalid argument "maybe" for "--rm" flag: strconv.ParseBool: parsing "maybe": invalid syntax\n'));
  r = await cli(['-D', 'ps', '-D']);
  assert.equal(r.code, 125, 'global flags are not accepted after the command');
  assert.ok(r.stderr.startsWith("unknown shorthand flag: 'D' in -D\n"));
});

test('argument-count errors exit 1', async () => {
  const cases: Array<[string[], string]> = [
    [['rm'], "berth: 'berth rm' requires at least 1 argument\n\nUsage:  berth rm [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'berth rm --help' for more information\n"],
    [['kill'], "berth: 'berth kill' requires at least 1 argument\n\nUsage:  berth kill [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'berth kill --help' for more information\n"],
    [['ps', 'a'], "berth: 'berth ps' accepts no arguments\n\nUsage:  berth ps [OPTIONS]\n\nRun 'berth ps --help' for more information\n"],
    [['ps', '--', 'a'], "berth: 'berth ps' accepts no arguments\n\nUsage:  berth ps [OPTIONS]\n\nRun 'berth ps --help' for more information\n"],
    [['container', 'rm'], "berth: 'berth container rm' requires at least 1 argument\n\nUsage:  berth container rm [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'berth container rm --help' for more information\n"],
  ];
  for (const [argv, text] of cases) {
    const r = await cli(argv);
    assert.deepEqual([r.code, r.stderr, r.stdout, r.calls.length], [1, text, '', 0], argv.join(' '));
  }
});

test('command help', async () => {
  const expected = [
    'Usage:  berth ps [OPTIONS]',
    '',
    'List containers',
    '',
    'Aliases:',
    '  berth container ls, berth container list, berth container ps, berth ps',
    '',
    'Options:',
    '  -a, --all        Show all containers (default shows just running)',
    '  -n, --last int   Show n last created containers (includes all states)',
    '                   (default -1)',
    '',
  ].join('\n');
  for (const argv of [['ps', '--help'], ['ps', '-a', '--help', 'extra'], ['--help', 'ps'], ['help', 'ps']]) {
    const r = await cli(argv);
    assert.deepEqual([r.code, r.stdout, r.stderr, r.calls.length], [0, expected, '', 0], argv.join(' '));
  }
  const r = await cli(['ps', '-h']);
  assert.equal(r.stdout, 'Flag shorthand -h has been deprecated, use --help\n' + expected);
  const viaGroup = await cli(['container', 'ps', '--help']);
  assert.ok(viaGroup.stdout.startsWith('Usage:  berth container ls [OPTIONS]\n'));
  // flag errors win over --help; --help=false is not help
  assert.equal((await cli(['ps', '-x', '--help'])).code, 125);
  assert.equal((await cli(['ps', '--help=false', 'a'])).code, 1);
  // run defines its own --help (no -h)
  const run = await cli(['run', '--help']);
  assert.equal(run.stdout, [
    'Usage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]',
    '',
    'Create and run a new container from an image',
    '',
    'Aliases:',
    '  berth container run, berth run',
    '',
    'Options:',
    '  -e, --env list          Set environment variables',
    '      --help              Print usage',
    '  -h, --hostname string   Container host name',
    '  -i, --interactive       Keep STDIN open even if not attached',
    '      --rm                Automatically remove the container when it exits',
    '  -t, --tty               Allocate a pseudo-TTY',
    '',
  ].join('\n'));
});

test('management groups', async () => {
  let r = await cli(['container']);
  assert.equal(r.code, 0);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, [
    'Usage:  berth container COMMAND',
    '',
    'Manage containers',
    '',
    'Commands:',
    '  kill        Kill one or more running containers',
    '  ls          List containers',
    '  rm          Remove one or more containers',
    '  run         Create and run a new container from an image',
    '',
    "Run 'berth container COMMAND --help' for more information on a command.",
    '',
  ].join('\n'));
  const groupHelp = r.stderr;
  for (const argv of [['container', '--help'], ['container', 'foo', '--help'], ['help', 'container']]) {
    const h = await cli(argv);
    assert.deepEqual([h.code, h.stdout, h.stderr], [0, groupHelp, ''], argv.join(' '));
  }
  r = await cli(['container', 'foo']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, "berth: unknown command: berth container foo\n\nUsage:  berth container\n\nRun 'berth container --help' for more information\n");
  r = await cli(['container', '--foo', 'ls']);
  assert.equal(r.code, 125);
  assert.equal(r.stderr, "unknown flag: --foo\n\nUsage:  berth container\n\nRun 'berth container --help' for more information\n");
  r = await cli(['container', '--help', 'ls']);
  assert.ok(r.stdout.startsWith('Usage:  berth container ls [OPTIONS]\n'));
  r = await cli(['container', 'list', '-a']);
  assert.equal(r.calls[0].path, 'berth container ls');
  assert.equal(r.calls[0].opts.all, true);
});

test('help command', async () => {
  let r = await cli(['help', 'foo']);
  assert.deepEqual([r.code, r.stderr], [1, 'unknown help topic: foo\n']);
  r = await cli(['help', 'ps', 'extra']);
  assert.deepEqual([r.code, r.stderr], [1, 'unknown help topic: extra\n']);
  r = await cli(['help', 'container', 'ls']);
  assert.ok(r.stdout.startsWith('Usage:  berth container ls [OPTIONS]\n'));
  r = await cli(['help', 'help']);
  assert.deepEqual([r.code, r.stdout], [0, 'Usage:  berth help [command]\n\nHelp about the command\n']);
  r = await cli(['help', '-x']);
  assert.equal(r.code, 125);
  assert.equal(r.stderr, "unknown shorthand flag: 'x' in -x\n\nUsage:  berth help [command]\n\nRun 'berth help --help' for more information\n");
});

test('run: flags stop at the image, options and globals reach the command', async () => {
  const r = await cli(['-H', 'unix:///a.sock', '--host=tcp://b:2375', '-D', 'run', '-it', '--rm', '-e', 'A=1', 'busybox', 'ls', '-l', '--rm']);
  assert.equal(r.code, 0);
  assert.equal(r.calls.length, 1);
  const call = r.calls[0];
  assert.equal(call.path, 'berth run');
  assert.deepEqual(call.args, ['busybox', 'ls', '-l', '--rm']);
  assert.deepEqual(call.opts, { interactive: true, tty: true, rm: true, env: ['A=1'], hostname: '', help: false });
  assert.deepEqual(call.ctx.globals.hosts, ['unix:///a.sock', 'tcp://b:2375']);
  assert.equal(call.ctx.globals.debug, true);
  assert.equal(call.ctx.globals.logLevel, 'info');
  assert.equal(call.ctx.globals.config, '/root/.berth');
  assert.ok(call.ctx.globals.changed.has('host'));
  // the injected --help flag is not passed to commands
  const ps = await cli(['ps']);
  assert.deepEqual(ps.calls[0].opts, { all: false, last: -1 });
});

test('exit codes and errors from commands', async () => {
  let r = await cli(['run', 'exit3']);
  assert.equal(r.code, 3);
  r = await cli(['run', 'fail125']);
  assert.deepEqual([r.code, r.stderr], [125, 'berth: boom\n']);
  r = await cli(['run', 'fail']);
  assert.deepEqual([r.code, r.stderr], [1, 'Cannot connect to the Berth daemon\n']);
});

test('the client is created lazily, once, from the global options', async () => {
  const created: unknown[] = [];
  const killed: string[] = [];
  const createClient: MainOptions['createClient'] = (globals) => {
    created.push(globals.hosts);
    return {
      async kill(id: string, signal: string) {
        if (id === 'missing') throw new Error('No such container: missing');
        killed.push(`${id}:${signal}`);
      },
    };
  };
  let r = await cli(['-H', 'unix:///x.sock', 'kill', '-s', 'HUP', 'a', 'b'], { createClient });
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'a\nb\n', '']);
  assert.deepEqual(killed, ['a:HUP', 'b:HUP']);
  assert.deepEqual(created, [['unix:///x.sock']]);
  r = await cli(['container', 'kill', 'missing', 'c'], { createClient });
  assert.deepEqual([r.code, r.stdout, r.stderr], [1, 'c\n', 'Error response from daemon: No such container: missing\n']);
  r = await cli(['ps'], { createClient });
  assert.equal(created.length, 2, 'commands that never ask for a client do not create one');
  r = await cli(['kill', 'x']);
  assert.deepEqual([r.code, r.stderr], [1, 'berth: no API client is configured\n']);
  assert.deepEqual(killCalls.at(-1), { opts: { signal: '' }, args: ['x'] });
});
