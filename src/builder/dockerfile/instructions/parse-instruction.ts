// One syntax node to one typed instruction (a command, or a Stage for FROM), as buildkit's
// ParseInstruction, with Docker's messages for bad arguments and flags.
import type { Node } from '../parser/node.js';
import { trimSpace } from '../shell/chars.js';
import type { ArgCommand, Command, KeyValuePair, OnbuildCommand, Stage } from './commands.js';
import { parseAdd, parseCopy } from './parse-copy.js';
import { parseHealthcheck } from './parse-healthcheck.js';
import { parseCmd, parseEntrypoint, parseRun } from './parse-run.js';
import {
  baseOf,
  codeOf,
  errAtLeastOneArgument,
  errBlankCommandNames,
  errExactlyOneArgument,
  errNotJSON,
  errTooManyArguments,
  handleJSONArgs,
  requestFromNode,
  type ParseRequest,
} from './request.js';

/** Thrown for an instruction word Docker does not know. */
export class UnknownInstructionError extends Error {
  constructor(
    readonly instruction: string,
    readonly line: number,
  ) {
    super(`unknown instruction: ${instruction.toUpperCase()}`);
  }
}

export type Instruction = Command | Stage;

export function parseInstruction(node: Node): Instruction {
  const req = requestFromNode(node);
  switch (node.value.toLowerCase()) {
    case 'env':
      req.flags.parse();
      return { kind: 'env', ...baseOf(req), env: parseKvps(req.args, 'ENV') };
    case 'maintainer':
      if (req.args.length !== 1) throw errExactlyOneArgument('MAINTAINER');
      req.flags.parse();
      return { kind: 'maintainer', ...baseOf(req), maintainer: req.args[0] };
    case 'label':
      req.flags.parse();
      return { kind: 'label', ...baseOf(req), labels: parseKvps(req.args, 'LABEL'), noExpand: false };
    case 'add':
      return parseAdd(req);
    case 'copy':
      return parseCopy(req);
    case 'from':
      return parseFrom(req);
    case 'onbuild':
      return parseOnbuild(req);
    case 'workdir':
      return { kind: 'workdir', ...baseOf(req), path: singleArg(req, 'WORKDIR') };
    case 'run':
      return parseRun(req);
    case 'cmd':
      return parseCmd(req);
    case 'healthcheck':
      return parseHealthcheck(req);
    case 'entrypoint':
      return parseEntrypoint(req);
    case 'expose':
      if (req.args.length === 0) throw errAtLeastOneArgument('EXPOSE');
      req.flags.parse();
      return { kind: 'expose', ...baseOf(req), ports: [...req.args].sort() };
    case 'user':
      return { kind: 'user', ...baseOf(req), user: singleArg(req, 'USER') };
    case 'volume':
      return parseVolume(req);
    case 'stopsignal':
      // Docker never checks STOPSIGNAL's flags.
      if (req.args.length !== 1) throw errExactlyOneArgument('STOPSIGNAL');
      return { kind: 'stopsignal', ...baseOf(req), signal: req.args[0] };
    case 'arg':
      return parseArg(req);
    case 'shell':
      return parseShell(req);
  }
  throw new UnknownInstructionError(node.value, node.startLine);
}

function singleArg(req: ParseRequest, cmd: string): string {
  if (req.args.length !== 1) throw errExactlyOneArgument(cmd);
  req.flags.parse();
  return req.args[0];
}

/** ENV/LABEL arguments come as (key, value, "=" or "") triples from the parser. */
function parseKvps(args: string[], cmd: string): KeyValuePair[] {
  if (args.length === 0) throw errAtLeastOneArgument(cmd);
  if (args.length % 3 !== 0) throw errTooManyArguments(cmd);
  const out: KeyValuePair[] = [];
  for (let i = 0; i < args.length; i += 3) {
    if (args[i].length === 0) throw errBlankCommandNames(cmd);
    out.push({ key: args[i], value: args[i + 1], noDelim: args[i + 2] === '' });
  }
  return out;
}

const VALID_STAGE_NAME = /^[a-z][a-z0-9\-_.]*$/;

function parseFrom(req: ParseRequest): Stage {
  const args = req.args;
  let name = '';
  if (args.length === 3 && args[1].toLowerCase() === 'as') {
    name = args[2].toLowerCase();
    if (!VALID_STAGE_NAME.test(name)) {
      throw new Error(`invalid name for build stage: ${JSON.stringify(args[2])}, name can't start with a number or contain symbols`);
    }
  } else if (args.length !== 1) {
    throw new Error('FROM requires either one or three arguments');
  }
  const platform = req.flags.addString('platform', '');
  req.flags.parse();
  return {
    name,
    baseName: args[0],
    platform: platform.value,
    code: codeOf(req),
    location: req.location,
    comment: commentFor(req.comments, name),
    commands: [],
  };
}

/** A comment line `# <name> <text>` above the instruction describes it. */
function commentFor(comments: string[], name: string): string {
  if (name === '') return '';
  for (const line of comments) if (line.startsWith(name + ' ')) return line.slice(name.length + 1);
  return '';
}

function parseOnbuild(req: ParseRequest): OnbuildCommand {
  if (req.args.length === 0) throw errAtLeastOneArgument('ONBUILD');
  req.flags.parse();
  const trigger = trimSpace(req.args[0]).toUpperCase();
  if (trigger === 'ONBUILD') throw new Error('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
  if (trigger === 'MAINTAINER' || trigger === 'FROM') throw new Error(`${trigger} isn't allowed as an ONBUILD trigger`);
  let expression = req.original.replace(/^[\t\n\f\r ]*ONBUILD[\t\n\f\r ]*/i, '');
  for (const doc of req.heredocs) expression += '\n' + doc.content + doc.name;
  return { kind: 'onbuild', ...baseOf(req), expression };
}

function parseVolume(req: ParseRequest): Command {
  if (req.args.length === 0) throw errAtLeastOneArgument('VOLUME');
  req.flags.parse();
  const volumes = req.args.map((v) => {
    const t = trimSpace(v);
    if (t === '') throw new Error('VOLUME specified can not be an empty string');
    return t;
  });
  return { kind: 'volume', ...baseOf(req), volumes };
}

function parseArg(req: ParseRequest): ArgCommand {
  if (req.args.length < 1) throw errAtLeastOneArgument('ARG');
  req.flags.parse();
  const args = req.args.map((arg) => {
    const eq = arg.indexOf('=');
    if (eq < 0) return { key: arg };
    if (eq === 0) throw errBlankCommandNames('ARG');
    return { key: arg.slice(0, eq), value: arg.slice(eq + 1) };
  });
  return { kind: 'arg', ...baseOf(req), args };
}

function parseShell(req: ParseRequest): Command {
  req.flags.parse();
  const shell = handleJSONArgs(req.args, req.json);
  if (shell.length === 0) throw errAtLeastOneArgument('SHELL');
  if (!req.json) throw errNotJSON('SHELL');
  return { kind: 'shell', ...baseOf(req), shell };
}
