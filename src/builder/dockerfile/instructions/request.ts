// What every instruction parser gets: the node's arguments, its flags and where it came from.
import type { Heredoc, Node } from '../parser/node.js';
import { trimSpace } from '../shell/chars.js';
import { BFlags } from './bflags.js';
import type { Location } from './commands.js';

export interface ParseRequest {
  /** The instruction as written ("RUN", "run"). */
  command: string;
  args: string[];
  json: boolean;
  flags: BFlags;
  original: string;
  location: Location;
  heredocs: Heredoc[];
  comments: string[];
}

/** ONBUILD's arguments are its trigger instruction word then the trigger's arguments. */
function nodeArgs(node: Node): string[] {
  if (node.value.toLowerCase() === 'onbuild') return node.child ? [node.child.value, ...node.child.args] : [];
  return node.args;
}

export function requestFromNode(node: Node): ParseRequest {
  return {
    command: node.value,
    args: [...nodeArgs(node)],
    json: node.json,
    flags: new BFlags(node.flags),
    original: node.original,
    location: { startLine: node.startLine, endLine: node.endLine },
    heredocs: node.heredocs,
    comments: node.comments,
  };
}

export const codeOf = (req: ParseRequest): string => trimSpace(req.original);

/** The instruction's trimmed source and location, common to every command. */
export const baseOf = (req: ParseRequest) => ({ code: codeOf(req), location: req.location });

export const errAtLeastOneArgument = (cmd: string) => new Error(`${cmd} requires at least one argument`);
export const errExactlyOneArgument = (cmd: string) => new Error(`${cmd} requires exactly one argument`);
export const errNoDestinationArgument = (cmd: string) =>
  new Error(`${cmd} requires at least two arguments, but only one was provided. Destination could not be determined`);
export const errBlankCommandNames = (cmd: string) => new Error(`${cmd} names can not be blank`);
export const errTooManyArguments = (cmd: string) => new Error(`Bad input to ${cmd}, too many arguments`);
export const errNotJSON = (cmd: string) => new Error(`${cmd} requires the arguments to be in JSON form`);

/** Shell form joins the words into one command string; exec form keeps the argv. */
export function handleJSONArgs(args: string[], json: boolean): string[] {
  if (args.length === 0) return [];
  if (json) return args;
  return [args.join(' ')];
}
