import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandRegistry, checkArgs, commandFlagDefs, flagErrorText, type Command } from './command.js';
import { renderHelp } from './help.js';

const noop = async () => {};

const ls: Command = {
  name: 'ls', aliases: ['list', 'ps'], usage: 'ls [OPTIONS]', short: 'List containers', args: { exact: 0 },
  flags: [
    { name: 'all', short: 'a', type: 'bool', usage: 'Show all containers (default shows just running)' },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Only display container IDs' },
  ],
  run: noop,
};
const rm: Command = {
  name: 'rm', aliases: ['remove'], usage: 'rm [OPTIONS] CONTAINER [CONTAINER...]', short: 'Remove one or more containers',
  args: { min: 1 }, flags: [{ name: 'force', short: 'f', type: 'bool', usage: 'Force the removal of a running container (uses SIGKILL)' }],
  run: noop,
};
const rename: Command = {
  name: 'rename', usage: 'rename CONTAINER NEW_NAME', short: 'Rename a container', args: { exact: 2 }, flags: [], run: noop,
};
const port: Command = {
  name: 'port', usage: 'port CONTAINER [PRIVATE_PORT[/PROTO]]', short: 'List port mappings or a specific mapping for the container',
  args: { min: 1, max: 2 }, flags: [], run: noop,
};
const prune: Command = { name: 'prune', usage: 'prune [OPTIONS]', short: 'Remove all stopped containers', args: { exact: 0 }, flags: [], run: noop };
const imageLs: Command = {
  name: 'ls', aliases: ['list'], usage: 'ls [OPTIONS] [REPOSITORY[:TAG]]', short: 'List images', args: { max: 1 }, flags: [], run: noop,
};
const version: Command = { name: 'version', usage: 'version [OPTIONS]', short: 'Show the Docker version information', args: { exact: 0 }, flags: [], run: noop };
const secret: Command = { name: 'secret-thing', usage: 'secret-thing', short: 'Hidden', hidden: true, flags: [], run: noop };

function registry(): CommandRegistry {
  const reg = new CommandRegistry();
  reg.add(ls, { group: 'container', topLevel: 'ps', category: 'common', order: 3 });
  reg.add(rm, { group: 'container', topLevel: true });
  reg.add(rename, { group: 'container', topLevel: true });
  reg.add(port, { group: 'container', topLevel: true });
  reg.add(prune, { group: 'container' });
  reg.add(imageLs, { group: 'image', topLevel: 'images', category: 'common', order: 7 });
  reg.add(version, { category: 'common', order: 11 });
  reg.add(secret);
  return reg;
}

test('registry resolves groups, aliases and top-level shortcuts to the same command', () => {
  const reg = registry();
  assert.equal(reg.find(['ps'])?.command, ls);
  assert.equal(reg.find(['container', 'ls'])?.command, ls);
  assert.equal(reg.find(['container', 'list'])?.command, ls);
  assert.equal(reg.find(['container', 'ps'])?.command, ls);
  assert.equal(reg.find(['images'])?.command, imageLs);
  assert.equal(reg.find(['image', 'list'])?.command, imageLs);
  assert.equal(reg.find(['ls']), undefined, 'group aliases are not top-level names');
  assert.equal(reg.find(['container', 'nope']), undefined);
  assert.equal(reg.find(['container'])?.kind, 'group');
  assert.throws(() => reg.add(rename, { group: 'container' }), /command "rename" is already registered under "berth container"/);
});

test('paths, use lines and docker-style alias lines', () => {
  const reg = registry();
  const ps = reg.find(['ps'])!;
  const cls = reg.find(['container', 'ps'])!;
  assert.equal(ps.path, 'berth ps');
  assert.equal(ps.useLine, 'berth ps [OPTIONS]');
  assert.equal(cls.path, 'berth container ls');
  assert.equal(cls.useLine, 'berth container ls [OPTIONS]');
  const line = 'berth container ls, berth container list, berth container ps, berth ps';
  assert.equal(ps.aliasLine, line);
  assert.equal(cls.aliasLine, line);
  assert.equal(reg.find(['images'])!.aliasLine, 'berth image ls, berth image list, berth images');
  assert.equal(reg.find(['rename'])!.aliasLine, 'berth container rename, berth rename');
  assert.equal(reg.find(['container', 'prune'])!.aliasLine, undefined);
  assert.equal(reg.find(['version'])!.aliasLine, undefined);
  assert.equal(reg.find(['container'])!.useLine, 'berth container');
  assert.equal(reg.root.useLine, 'berth [OPTIONS] COMMAND [ARG...]');
});

test('argument-count errors use docker cli texts', () => {
  const reg = registry();
  assert.equal(checkArgs(reg.find(['rm'])!, []),
    "berth: 'berth rm' requires at least 1 argument\n\nUsage:  berth rm [OPTIONS] CONTAINER [CONTAINER...]\n\nSee 'berth rm --help' for more information");
  assert.equal(checkArgs(reg.find(['rm'])!, ['a', 'b']), undefined);
  assert.equal(checkArgs(reg.find(['rename'])!, ['a']),
    "berth: 'berth rename' requires 2 arguments\n\nUsage:  berth rename CONTAINER NEW_NAME\n\nRun 'berth rename --help' for more information");
  assert.equal(checkArgs(reg.find(['ps'])!, ['a']),
    "berth: 'berth ps' accepts no arguments\n\nUsage:  berth ps [OPTIONS]\n\nRun 'berth ps --help' for more information");
  assert.equal(checkArgs(reg.find(['container', 'ls'])!, ['a']),
    "berth: 'berth container ls' accepts no arguments\n\nUsage:  berth container ls [OPTIONS]\n\nRun 'berth container ls --help' for more information");
  assert.equal(checkArgs(reg.find(['port'])!, ['a', 'b', 'c']),
    "berth: 'berth port' requires at least 1 and at most 2 arguments\n\nUsage:  berth port CONTAINER [PRIVATE_PORT[/PROTO]]\n\nRun 'berth port --help' for more information");
  // docker's RequiresMaxArgs really prints "SRun"
  assert.equal(checkArgs(reg.find(['images'])!, ['a', 'b']),
    "berth: 'berth images' requires at most 1 argument\n\nUsage:  berth images [OPTIONS] [REPOSITORY[:TAG]]\n\nSRun 'berth images --help' for more information");
  assert.equal(flagErrorText(reg.find(['ps'])!, 'unknown flag: --foo'),
    "unknown flag: --foo\n\nUsage:  berth ps [OPTIONS]\n\nRun 'berth ps --help' for more information");
});

test('commands get a hidden --help unless they define their own', () => {
  const reg = new CommandRegistry();
  const run: Command = {
    name: 'run', usage: 'run [OPTIONS] IMAGE [COMMAND] [ARG...]', short: 'Create and run a new container from an image',
    flags: [{ name: 'hostname', short: 'h', type: 'string', usage: 'Container host name' }], run: noop,
  };
  reg.add(run, { group: 'container', topLevel: true });
  const help = commandFlagDefs(reg.find(['run'])!).find((f) => f.name === 'help');
  assert.equal(help?.short, undefined, '-h belongs to --hostname');
  assert.equal(commandFlagDefs(registry().find(['ps'])!).find((f) => f.name === 'help')?.short, 'h');
});

test('leaf help matches docker layout', () => {
  assert.equal(renderHelp(registry().find(['ps'])!), [
    'Usage:  berth ps [OPTIONS]',
    '',
    'List containers',
    '',
    'Aliases:',
    '  berth container ls, berth container list, berth container ps, berth ps',
    '',
    'Options:',
    '  -a, --all     Show all containers (default shows just running)',
    '  -q, --quiet   Only display container IDs',
    '',
  ].join('\n'));
  // no flags and no aliases: no Options/Aliases sections
  assert.equal(renderHelp(registry().find(['container', 'prune'])!), 'Usage:  berth container prune [OPTIONS]\n\nRemove all stopped containers\n');
});

test('group help lists subcommands sorted, padded to 11 columns', () => {
  assert.equal(renderHelp(registry().find(['container'])!), [
    'Usage:  berth container COMMAND',
    '',
    'Manage containers',
    '',
    'Commands:',
    '  ls          List containers',
    '  port        List port mappings or a specific mapping for the container',
    '  prune       Remove all stopped containers',
    '  rename      Rename a container',
    '  rm          Remove one or more containers',
    '',
    "Run 'berth container COMMAND --help' for more information on a command.",
    '',
  ].join('\n'));
});

test('root help has common, management and other commands, then global options', () => {
  const reg = registry();
  const text = renderHelp(reg.root, {
    rootFlags: [
      { name: 'debug', short: 'D', type: 'bool', usage: 'Enable debug mode' },
      { name: 'help', short: 'h', type: 'bool', usage: 'Print usage', hidden: true },
    ],
    additionalHelp: 'See the docs.',
  });
  assert.equal(text, [
    'Usage:  berth [OPTIONS] COMMAND',
    '',
    'A self-sufficient runtime for containers',
    '',
    'Common Commands:',
    '  ps          List containers',
    '  images      List images',
    '  version     Show the Docker version information',
    '',
    'Management Commands:',
    '  container   Manage containers',
    '  image       Manage images',
    '',
    'Commands:',
    '  port        List port mappings or a specific mapping for the container',
    '  rename      Rename a container',
    '  rm          Remove one or more containers',
    '',
    'Global Options:',
    '  -D, --debug   Enable debug mode',
    '',
    "Run 'berth COMMAND --help' for more information on a command.",
    '',
    'See the docs.',
    '',
  ].join('\n'));
});

test('addGroup re-describes an auto-created group', () => {
  const reg = registry();
  reg.addGroup({ name: 'image', short: 'Manage images (berth)' });
  assert.equal(reg.find(['image'])!.info.short, 'Manage images (berth)');
  assert.equal(reg.root.children.filter((c) => c.name === 'image').length, 1);
});
