// The command model, shaped like cobra as docker/cli uses it: management
// groups (`container`, `image`, ...) hold subcommands, and top-level
// shortcuts (`ps`, `run`, `rmi`, ...) point at the same command objects.

import type { FlagDef, FlagValues } from './flags.js';

/** The program name printed wherever docker prints "docker". */
export const PROGRAM_NAME = 'berth';

type OutStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

/** Options given before the command (`berth -H unix:///x.sock --debug ps`). */
export interface GlobalOptions {
  /** -H/--host values, in order ([] when not given). */
  hosts: string[];
  debug: boolean;
  logLevel: string;
  /** --config directory. */
  config: string;
  /** -c/--context ('' when not given). */
  context: string;
  tls: boolean;
  tlsVerify: boolean;
  tlsCaCert: string;
  tlsCert: string;
  tlsKey: string;
  /** Names of the global flags given on the command line. */
  changed: ReadonlySet<string>;
}

export interface CommandContext {
  io: CliIO;
  env: Record<string, string | undefined>;
  globals: GlobalOptions;
  /** The path the command was invoked under, e.g. "berth container ls" or "berth ps". */
  commandPath: string;
  /** Names of the command's flags given on the command line. */
  changed: ReadonlySet<string>;
  /** The API client, created on first call (by MainOptions.createClient) and reused. */
  getClient<T = unknown>(): Promise<T>;
}

export interface ArgsSpec {
  min?: number;
  max?: number;
  exact?: number;
}

export interface Command<O = FlagValues> {
  /** Must equal the first word of `usage`. */
  name: string;
  aliases?: string[];
  /** e.g. "run [OPTIONS] IMAGE [COMMAND] [ARG...]" */
  usage: string;
  /** One-line description. */
  short: string;
  /** Longer description shown by --help instead of `short`. */
  long?: string;
  example?: string;
  flags: FlagDef[];
  /** false: flags end at the first positional argument (run, exec, create). Default true. */
  interspersed?: boolean;
  /** Positional argument count, checked with docker's error texts. */
  args?: ArgsSpec;
  hidden?: boolean;
  /**
   * `opts` holds every flag by name (defaults included). Return the exit
   * code (void = 0), or throw: StatusError sets the code, other errors exit 1.
   * Both print the error message to stderr.
   */
  run(ctx: CommandContext, opts: O, args: string[]): Promise<number | void>;
}

/** Lets a command declare a typed options object keyed by flag name. */
export function defineCommand<O>(cmd: Command<O>): Command<any> {
  return cmd;
}

/** An error carrying an exit status (docker's cli.StatusError). */
export class StatusError extends Error {
  override name = 'StatusError';
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

export interface CommandGroup {
  name: string;
  short: string;
  long?: string;
  hidden?: boolean;
}

export type CommandCategory = 'common' | 'management' | 'other';

export interface AddOptions {
  /** Register as a subcommand of this management group (created on demand). */
  group?: string;
  /** Also register at top level; a string gives a different top-level name (`images` for `image ls`). */
  topLevel?: boolean | string;
  /** Top-level listing section: 'common' lists it under "Common Commands". */
  category?: CommandCategory;
  /** Position within "Common Commands" (lower first; default: registration order). */
  order?: number;
}

/** The persistent, hidden --help flag every command gets (`-h` is deprecated, as in docker). */
export const HELP_FLAG: FlagDef = {
  name: 'help', short: 'h', type: 'bool', usage: 'Print usage', hidden: true, shorthandDeprecated: 'use --help',
};

const GROUP_SHORTS: Record<string, string> = {
  builder: 'Manage builds', container: 'Manage containers', context: 'Manage contexts', image: 'Manage images',
  network: 'Manage networks', plugin: 'Manage plugins', system: 'Manage Berth', volume: 'Manage volumes',
};

export type NodeKind = 'root' | 'group' | 'leaf';

export interface NodeInfo {
  short: string;
  long?: string;
  example?: string;
  aliases: string[];
  hidden: boolean;
  category: CommandCategory;
  order: number;
}

/** A command at one place in the tree (a command object may appear at several). */
export class CommandNode {
  readonly children: CommandNode[] = [];
  /** All nodes running the same command object (group entry and top-level shortcut). */
  related: CommandNode[] = [this];

  constructor(
    readonly kind: NodeKind,
    readonly name: string,
    readonly parent: CommandNode | undefined,
    readonly info: NodeInfo,
    readonly command?: Command<any>,
  ) {}

  /** "berth container ls" */
  get path(): string {
    return this.parent ? `${this.parent.path} ${this.name}` : this.name;
  }

  get root(): CommandNode {
    return this.parent ? this.parent.root : this;
  }

  /** cobra's UseLine: "berth ps [OPTIONS]", "berth container", "berth [OPTIONS] COMMAND [ARG...]". */
  get useLine(): string {
    if (this.kind === 'root') return `${this.name} [OPTIONS] COMMAND [ARG...]`;
    if (this.kind === 'group' || !this.command) return this.path;
    const usage = this.command.usage;
    const firstWord = /^\S*/.exec(usage)?.[0] ?? '';
    return `${this.path}${usage.slice(firstWord.length)}`;
  }

  findChild(name: string): CommandNode | undefined {
    return this.children.find((c) => c.name === name) ?? this.children.find((c) => c.info.aliases.includes(name));
  }

  /** Width of the name column in command listings (cobra's NamePadding, ignoring hidden commands). */
  get namePadding(): number {
    const siblings = (this.parent?.children ?? []).filter((c) => !c.info.hidden);
    return Math.max(11, ...siblings.map((c) => c.name.length));
  }

  /** Docker's "Aliases:" line, e.g. "berth container ls, berth container list, berth ps". */
  get aliasLine(): string | undefined {
    const nodes = [...this.related].sort((a, b) => Number(a.parent?.kind === 'root') - Number(b.parent?.kind === 'root'));
    const names: string[] = [];
    for (const n of nodes) {
      names.push(n.path);
      for (const alias of n.info.aliases) names.push(n.parent ? `${n.parent.path} ${alias}` : alias);
    }
    return names.length > 1 ? names.join(', ') : undefined;
  }
}

/** Collects commands; command files call `registry.add(cmd, {...})`. */
export class CommandRegistry {
  readonly root: CommandNode;
  private readonly nodesByCommand = new Map<Command<any>, CommandNode[]>();
  private seq = 0;

  constructor(opts: { name?: string; short?: string; long?: string } = {}) {
    this.root = new CommandNode('root', opts.name ?? PROGRAM_NAME, undefined, {
      short: opts.short ?? 'A self-sufficient runtime for containers', long: opts.long, aliases: [], hidden: false,
      category: 'other', order: 0,
    });
  }

  private attach(parent: CommandNode, node: CommandNode): CommandNode {
    const clash = parent.children.find((c) => c.name === node.name);
    if (clash) throw new Error(`command "${node.name}" is already registered under "${parent.path}"`);
    parent.children.push(node);
    return node;
  }

  /** Declares (or re-describes) a management group. */
  addGroup(group: CommandGroup): CommandNode {
    const existing = this.root.children.find((c) => c.name === group.name && c.kind === 'group');
    if (existing) {
      existing.info.short = group.short;
      existing.info.long = group.long;
      existing.info.hidden = group.hidden ?? false;
      return existing;
    }
    return this.attach(this.root, new CommandNode('group', group.name, this.root, {
      short: group.short, long: group.long, aliases: [], hidden: group.hidden ?? false, category: 'management',
      order: this.seq++,
    }));
  }

  add(cmd: Command<any>, opts: AddOptions = {}): void {
    const nodes = this.nodesByCommand.get(cmd) ?? [];
    const info = (aliases: string[], category: CommandCategory, order: number): NodeInfo => ({
      short: cmd.short, long: cmd.long, example: cmd.example, aliases, hidden: cmd.hidden ?? false, category, order,
    });
    if (opts.group) {
      const group = this.root.children.find((c) => c.name === opts.group && c.kind === 'group')
        ?? this.addGroup({ name: opts.group, short: GROUP_SHORTS[opts.group] ?? `Manage ${opts.group}s` });
      nodes.push(this.attach(group, new CommandNode('leaf', cmd.name, group, info(cmd.aliases ?? [], 'other', this.seq++), cmd)));
    }
    if (opts.topLevel || !opts.group) {
      const name = typeof opts.topLevel === 'string' ? opts.topLevel : cmd.name;
      const aliases = opts.group ? [] : cmd.aliases ?? [];
      const order = opts.order ?? this.seq;
      this.seq++;
      nodes.push(this.attach(this.root, new CommandNode('leaf', name, this.root, info(aliases, opts.category ?? 'other', order), cmd)));
    }
    for (const n of nodes) n.related = nodes;
    this.nodesByCommand.set(cmd, nodes);
  }

  /** Resolves a path of names/aliases, e.g. ['container', 'ls']. */
  find(path: readonly string[]): CommandNode | undefined {
    let node: CommandNode | undefined = this.root;
    for (const name of path) node = node?.findChild(name);
    return node;
  }
}

/** The flags a leaf command parses: its own plus the hidden --help (unless it defines one). */
export function commandFlagDefs(node: CommandNode): FlagDef[] {
  if (node.kind !== 'leaf' || !node.command) return [HELP_FLAG];
  const flags = node.command.flags;
  if (flags.some((f) => f.name === 'help')) return flags;
  const help = flags.some((f) => f.short === 'h') ? { ...HELP_FLAG, short: undefined } : HELP_FLAG;
  return [...flags, help];
}

/** Docker's FlagErrorFunc text (printed with exit status 125). */
export function flagErrorText(node: CommandNode, message: string): string {
  return `${message}\n\nUsage:  ${node.useLine}\n\nRun '${node.path} --help' for more information`;
}

const plural = (n: number) => (n === 1 ? 'argument' : 'arguments');

/** Checks the positional argument count; returns docker's error text (exit status 1) or undefined. */
export function checkArgs(node: CommandNode, args: readonly string[]): string | undefined {
  const spec = node.command?.args;
  if (!spec) return undefined;
  const bin = node.root.name;
  const path = node.path;
  const tail = (verb: string) => `\n\nUsage:  ${node.useLine}\n\n${verb} '${path} --help' for more information`;
  const n = args.length;
  const { min, max, exact } = spec;
  if (exact === 0 || (exact === undefined && max === 0)) {
    return n === 0 ? undefined : `${bin}: '${path}' accepts no arguments${tail('Run')}`;
  }
  if (exact !== undefined) {
    return n === exact ? undefined : `${bin}: '${path}' requires ${exact} ${plural(exact)}${tail('Run')}`;
  }
  if (min !== undefined && max !== undefined) {
    if (n >= min && n <= max) return undefined;
    return `${bin}: '${path}' requires at least ${min} and at most ${max} ${plural(max)}${tail('Run')}`;
  }
  if (min !== undefined) {
    return n >= min ? undefined : `${bin}: '${path}' requires at least ${min} ${plural(min)}${tail('See')}`;
  }
  if (max !== undefined) {
    // "SRun" reproduces docker's cli.RequiresMaxArgs text verbatim.
    return n <= max ? undefined : `${bin}: '${path}' requires at most ${max} ${plural(max)}${tail('SRun')}`;
  }
  return undefined;
}
