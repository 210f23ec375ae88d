// RUN, CMD and ENTRYPOINT: exec or shell form, heredoc files, and RUN's --mount and --network.
import type { CmdCommand, EntrypointCommand, RunCommand, RunMount, ShellDependentCmdLine } from './commands.js';
import { baseOf, handleJSONArgs, type ParseRequest } from './request.js';
import { parseMount } from './run-mount.js';

const NETWORK_MODES = new Set(['default', 'none', 'host']);

function shellDependentCmdLine(req: ParseRequest, emptyAsNull: boolean): ShellDependentCmdLine {
  const args = handleJSONArgs(req.args, req.json);
  return {
    cmdLine: emptyAsNull && args.length === 0 ? null : args,
    prependShell: !req.json,
    files: req.heredocs.map((h) => ({ name: h.name, data: h.content, chomp: h.chomp })),
  };
}

export function parseRun(req: ParseRequest): RunCommand {
  const mountFlag = req.flags.addStrings('mount');
  const networkFlag = req.flags.addString('network', 'default');
  req.flags.parse();
  const flagsUsed = req.flags.usedNames();
  const network = networkFlag.value;
  if (!NETWORK_MODES.has(network)) throw new Error(`invalid network mode ${JSON.stringify(network)}`);
  const mountFlags = [...mountFlag.values];
  return {
    kind: 'run',
    ...baseOf(req),
    ...shellDependentCmdLine(req, false),
    mountFlags,
    mounts: mountFlags.map((raw) => parseMountAtParseTime(raw)),
    network: network as RunCommand['network'],
    flagsUsed,
  };
}

/**
 * Mounts whose text holds no variable are validated now (so errors carry the line number); the others get
 * buildkit's parse-time checks only and are complete once expandRunMounts has run.
 */
function parseMountAtParseTime(raw: string): RunMount {
  if (raw.includes('$')) return parseMount(raw);
  return parseMount(raw, (v) => v);
}

/** The mounts with their values variable-expanded (what the dispatcher runs with). */
export function expandRunMounts(cmd: RunCommand, expand: (word: string) => string): RunMount[] {
  return cmd.mountFlags.map((raw) => parseMount(raw, expand));
}

export function parseCmd(req: ParseRequest): CmdCommand {
  req.flags.parse();
  return { kind: 'cmd', ...baseOf(req), ...shellDependentCmdLine(req, false) };
}

export function parseEntrypoint(req: ParseRequest): EntrypointCommand {
  req.flags.parse();
  return { kind: 'entrypoint', ...baseOf(req), ...shellDependentCmdLine(req, true) };
}
