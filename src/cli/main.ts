// The CLI entry point: global options, command dispatch, help, and docker's
// error texts and exit codes (125 for usage/flag errors, 1 for argument-count
// errors and failures, the command's own status otherwise).

import { BERTH_VERSION } from '../api/version.js';
import type { CliIO, CommandContext, GlobalOptions } from './command.js';
import {
  CommandNode, CommandRegistry, StatusError, checkArgs, commandFlagDefs, flagErrorText, HELP_FLAG,
} from './command.js';
import type { FlagDef, ParseResult } from './flags.js';
import { FlagError, noOptValue, parseFlags } from './flags.js';
import { DEFAULT_TERMINAL_WIDTH, renderHelp } from './help.js';

export { CommandRegistry, StatusError, PROGRAM_NAME, defineCommand } from './command.js';
export type { AddOptions, CliIO, Command, CommandContext, CommandGroup, GlobalOptions } from './command.js';

export interface MainOptions {
  /** Creates the API client on the first ctx.getClient() call. */
  createClient?: (globals: GlobalOptions, env: Record<string, string | undefined>) => unknown;
  /** Printed by --version (default BERTH_VERSION). */
  version?: string;
  /** Build commit printed by --version (default "unknown"). */
  commit?: string;
  /** Help wrapping width (default: stdout's columns when a TTY, else 80). */
  width?: number;
  /** Closing paragraph of the top-level help. */
  additionalHelp?: string;
}

/** The client configuration directory: $BERTH_CONFIG or ~/.berth. */
export function defaultConfigDir(env: Record<string, string | undefined>): string {
  return env.BERTH_CONFIG || `${env.HOME ?? ''}/.berth`;
}

/** Docker's global flags, with berth's defaults. */
export function globalFlagDefs(env: Record<string, string | undefined>): FlagDef[] {
  const config = defaultConfigDir(env);
  return [
    { name: 'config', type: 'string', default: config, usage: 'Location of client config files' },
    {
      name: 'context', short: 'c', type: 'string',
      usage: 'Name of the context to use to connect to the daemon (overrides DOCKER_HOST env var and default context set with "berth context use")',
    },
    { name: 'debug', short: 'D', type: 'bool', usage: 'Enable debug mode' },
    { name: 'host', short: 'H', type: 'stringArray', usage: 'Daemon socket to connect to' },
    {
      name: 'log-level', short: 'l', type: 'string', default: 'info',
      usage: 'Set the logging level ("debug", "info", "warn", "error", "fatal")',
    },
    { name: 'tls', type: 'bool', usage: 'Use TLS; implied by --tlsverify' },
    { name: 'tlscacert', type: 'string', default: `${config}/ca.pem`, usage: 'Trust certs signed only by this CA' },
    { name: 'tlscert', type: 'string', default: `${config}/cert.pem`, usage: 'Path to TLS certificate file' },
    { name: 'tlskey', type: 'string', default: `${config}/key.pem`, usage: 'Path to TLS key file' },
    { name: 'tlsverify', type: 'bool', default: !!env.DOCKER_TLS_VERIFY, usage: 'Use TLS and verify the remote' },
    { name: 'version', short: 'v', type: 'bool', usage: 'Print version information and quit' },
    HELP_FLAG,
  ];
}

const LOG_LEVELS = ['panic', 'fatal', 'error', 'warn', 'warning', 'info', 'debug', 'trace'];

function toGlobals(r: ParseResult): GlobalOptions {
  const v = r.values;
  return {
    hosts: v.host as string[], debug: v.debug as boolean, logLevel: v['log-level'] as string,
    config: v.config as string, context: v.context as string, tls: v.tls as boolean,
    tlsVerify: v.tlsverify as boolean, tlsCaCert: v.tlscacert as string, tlsCert: v.tlscert as string,
    tlsKey: v.tlskey as string, changed: r.changed,
  };
}

const HELP_COMMAND = {
  name: 'help', usage: 'help [command]', short: 'Help about the command', flags: [], run: async () => 0,
};

class Dispatcher {
  private readonly rootFlags: FlagDef[];
  private globals!: GlobalOptions;

  constructor(
    private readonly io: CliIO,
    private readonly registry: CommandRegistry,
    private readonly options: MainOptions,
  ) {
    this.rootFlags = globalFlagDefs(io.env);
  }

  private out(s: string): void {
    this.io.stdout.write(s);
  }

  private err(s: string): void {
    this.io.stderr.write(s);
  }

  private help(node: CommandNode, toStderr = false): number {
    const stdout = this.io.stdout;
    const width = this.options.width ?? (stdout.isTTY && stdout.columns ? stdout.columns : DEFAULT_TERMINAL_WIDTH);
    const text = renderHelp(node, { width, rootFlags: this.rootFlags, additionalHelp: this.options.additionalHelp });
    if (toStderr) this.err(text);
    else this.out(text);
    return 0;
  }

  private flagError(node: CommandNode, e: FlagError): number {
    this.err(flagErrorText(node, e.message) + '\n');
    return 125;
  }

  private version(): number {
    this.out(`Berth version ${this.options.version ?? BERTH_VERSION}, build ${this.options.commit ?? 'unknown'}\n`);
    return 0;
  }

  async run(argv: string[]): Promise<number> {
    const root = this.registry.root;
    let g: ParseResult;
    try {
      g = parseFlags(this.rootFlags, argv, { interspersed: false });
    } catch (e) {
      if (!(e instanceof FlagError)) throw e;
      for (const w of e.warnings) this.err(w + '\n');
      return this.flagError(root, e);
    }
    for (const w of g.warnings) this.err(w + '\n');
    this.globals = toGlobals(g);
    if (!LOG_LEVELS.includes(this.globals.logLevel.toLowerCase())) {
      this.err(`Unable to parse logging level: ${this.globals.logLevel}\n`);
      return 1;
    }
    const help = g.values.help === true;
    const rest = g.args;
    if (rest.length === 0) {
      if (help) return this.help(root);
      if (g.values.version === true) return this.version();
      return this.help(root, true);
    }
    if (rest[0] === 'help' && !root.findChild('help')) return this.helpCommand(rest.slice(1));
    const node = root.findChild(rest[0]);
    if (!node) {
      // cobra runs the root command itself with the remaining arguments.
      let r: ParseResult;
      try {
        r = parseFlags(this.rootFlags, rest);
      } catch (e) {
        if (e instanceof FlagError) return this.flagError(root, e);
        throw e;
      }
      if (help || r.values.help === true) return this.help(root);
      if (g.values.version === true || r.values.version === true) return this.version();
      this.err(`${root.name}: unknown command: ${root.name} ${rest[0]}\n\nRun '${root.name} --help' for more information\n`);
      return 1;
    }
    return this.runNode(node, rest.slice(1), help);
  }

  /** `berth help [command...]` */
  private helpCommand(args: string[]): number {
    const helpNode = new CommandNode('leaf', 'help', this.registry.root, {
      short: HELP_COMMAND.short, aliases: [], hidden: true, category: 'other', order: 0,
    }, HELP_COMMAND);
    let r: ParseResult;
    try {
      r = parseFlags(commandFlagDefs(helpNode), args);
    } catch (e) {
      if (e instanceof FlagError) return this.flagError(helpNode, e);
      throw e;
    }
    for (const w of r.warnings) this.out(w + '\n');
    if (r.values.help === true) return this.help(helpNode);
    let node = this.registry.root;
    const rem = [...r.args];
    while (rem.length > 0 && node.kind !== 'leaf') {
      const child = node.findChild(rem[0]) ?? (node.kind === 'root' && rem[0] === 'help' ? helpNode : undefined);
      if (!child) break;
      node = child;
      rem.shift();
    }
    if (rem.length > 0) {
      this.err(`unknown help topic: ${rem.join(' ')}\n`);
      return 1;
    }
    return this.help(node);
  }

  private async runNode(node: CommandNode, args: string[], helpRequested: boolean): Promise<number> {
    if (node.kind === 'group') return this.runGroup(node, args, helpRequested);
    const cmd = node.command;
    if (!cmd) return this.help(node, true);
    let r: ParseResult;
    try {
      r = parseFlags(commandFlagDefs(node), args, { interspersed: cmd.interspersed ?? true });
    } catch (e) {
      if (e instanceof FlagError) return this.flagError(node, e);
      throw e;
    }
    for (const w of r.warnings) this.out(w + '\n');
    if (helpRequested || r.values.help === true) return this.help(node);
    const argError = checkArgs(node, r.args);
    if (argError !== undefined) {
      this.err(argError + '\n');
      return 1;
    }
    if (!cmd.flags.some((f) => f.name === 'help')) delete r.values.help;
    const code = await cmd.run(this.context(node, r.changed), r.values, r.args);
    return typeof code === 'number' ? code : 0;
  }

  /** Like cobra's Traverse: flags before the subcommand name belong to the group. */
  private async runGroup(node: CommandNode, args: string[], helpRequested: boolean): Promise<number> {
    const defs = commandFlagDefs(node);
    let inFlag = false;
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg.startsWith('--') && !arg.includes('=')) {
        const def = defs.find((d) => d.name === arg.slice(2));
        inFlag = !def || noOptValue(def) === undefined;
        continue;
      }
      if (arg.startsWith('-') && !arg.includes('=') && arg.length === 2 && !defs.some((d) => d.short === arg[1] && noOptValue(d) !== undefined)) {
        inFlag = true;
        continue;
      }
      if (inFlag) {
        inFlag = false;
        continue;
      }
      if (arg.startsWith('-') && arg.length > 1) continue;
      const child = node.findChild(arg);
      if (!child) break;
      let r: ParseResult;
      try {
        r = parseFlags(defs, args.slice(0, i));
      } catch (e) {
        if (e instanceof FlagError) return this.flagError(node, e);
        throw e;
      }
      for (const w of r.warnings) this.out(w + '\n');
      return this.runNode(child, args.slice(i + 1), helpRequested || r.values.help === true);
    }
    let r: ParseResult;
    try {
      r = parseFlags(defs, args);
    } catch (e) {
      if (e instanceof FlagError) return this.flagError(node, e);
      throw e;
    }
    for (const w of r.warnings) this.out(w + '\n');
    if (helpRequested || r.values.help === true) return this.help(node);
    if (r.args.length > 0) {
      const bin = node.root.name;
      this.err(`${bin}: unknown command: ${node.path} ${r.args[0]}\n\nUsage:  ${node.useLine}\n\nRun '${node.path} --help' for more information\n`);
      return 1;
    }
    return this.help(node, true);
  }

  private context(node: CommandNode, changed: ReadonlySet<string> = new Set()): CommandContext {
    const { io, options } = this;
    const globals = this.globals;
    let client: Promise<unknown> | undefined;
    return {
      io, env: io.env, globals, commandPath: node.path, changed,
      getClient<T>(): Promise<T> {
        client ??= (async () => {
          if (!options.createClient) throw new Error(`${node.root.name}: no API client is configured`);
          return options.createClient(globals, io.env);
        })();
        return client as Promise<T>;
      },
    };
  }
}

/**
 * Runs the CLI: `argv` excludes the program name (process.argv.slice(2)).
 * Resolves to the process exit code; never rejects for command failures.
 */
export async function main(argv: string[], io: CliIO, commands: CommandRegistry, options: MainOptions = {}): Promise<number> {
  try {
    return await new Dispatcher(io, commands, options).run(argv);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (message !== '') io.stderr.write(message + '\n');
    return e instanceof StatusError ? e.status : 1;
  }
}
