// Help output in docker's layout: cobra usage templates from docker/cli and
// pflag's FlagUsagesWrapped column alignment and word wrapping.

import type { CommandNode } from './command.js';
import { commandFlagDefs } from './command.js';
import { formatBytesSize, formatGoDuration, goQuote } from './flag-values.js';
import type { FlagDef } from './flags.js';
import { defaultFlagValue, noOptValue } from './flags.js';

/** Docker wraps help at the terminal width (80 when unknown) minus one. */
export const DEFAULT_TERMINAL_WIDTH = 80;

const TYPE_NAMES: Record<FlagDef['type'], string> = {
  bool: '', string: 'string', stringArray: 'list', stringSlice: 'strings', int: 'int', uint: 'uint', float: 'float',
  duration: 'duration', bytes: 'bytes',
};

/** pflag's UnquoteUsage: a `back-quoted` word in the usage names the value. */
export function unquoteUsage(def: FlagDef): { name: string; usage: string } {
  const usage = def.usage;
  const i = usage.indexOf('`');
  if (i >= 0) {
    const j = usage.indexOf('`', i + 1);
    if (j >= 0) {
      const name = usage.slice(i + 1, j);
      return { name, usage: usage.slice(0, i) + name + usage.slice(j + 1) };
    }
  }
  return { name: def.valueName ?? TYPE_NAMES[def.type], usage };
}

/** The "(default ...)" text, or '' when the default is the zero value. */
export function defaultText(def: FlagDef): string {
  if (def.defaultText !== undefined) return def.defaultText;
  const v = defaultFlagValue(def);
  switch (def.type) {
    case 'bool':
      return v === true ? 'true' : '';
    case 'string':
      return v === '' ? '' : goQuote(String(v));
    case 'stringArray':
    case 'stringSlice':
      return Array.isArray(v) && v.length > 0 ? `[${v.join(',')}]` : '';
    case 'duration':
      return v === 0 ? '' : formatGoDuration(Number(v));
    case 'bytes':
      return v === 0 ? '' : formatBytesSize(Number(v));
    default:
      return v === 0 ? '' : String(v);
  }
}

// Splits s at whitespace before column i (allowing `slop` extra columns when
// that takes the whole string), preferring an embedded newline.
function wrapN(i: number, slop: number, s: string): [string, string] {
  if (i + slop > s.length) return [s, ''];
  const head = s.slice(0, i);
  const w = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\t'), head.lastIndexOf('\n'));
  if (w <= 0) return [s, ''];
  const nl = head.lastIndexOf('\n');
  if (nl > 0 && nl < w) return [s.slice(0, nl), s.slice(nl + 1)];
  return [s.slice(0, w), s.slice(w + 1)];
}

/** Wraps s to width w with every line after the first indented by i (w = 0: no wrapping). */
export function wrapText(i: number, w: number, s: string): string {
  if (w === 0) return s.replaceAll('\n', '\n' + ' '.repeat(i));
  let indent = i;
  let width = w - indent;
  let r = '';
  if (width < 24) {
    indent = 16;
    width = w - indent;
    r += '\n' + ' '.repeat(indent);
  }
  if (width < 24) return s.replaceAll('\n', r);
  const slop = 5;
  width -= slop;
  const pad = '\n' + ' '.repeat(indent);
  let [line, rest] = wrapN(width, slop, s);
  r += line.replaceAll('\n', pad);
  while (rest !== '') {
    [line, rest] = wrapN(width, slop, rest);
    r += pad + line.replaceAll('\n', pad);
  }
  return r;
}

/** pflag's FlagUsagesWrapped: sorted, aligned flag lines (each ending in "\n"). */
export function flagUsages(defs: readonly FlagDef[], cols = DEFAULT_TERMINAL_WIDTH - 1): string {
  const visible = defs.filter((d) => !d.hidden && !d.deprecated).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const rows: Array<{ head: string; usage: string }> = [];
  let maxlen = 0;
  for (const def of visible) {
    let head = def.short && !def.shorthandDeprecated ? `  -${def.short}, --${def.name}` : `      --${def.name}`;
    const { name, usage } = unquoteUsage(def);
    if (name !== '') head += ' ' + name;
    const noOpt = def.noOptDefault;
    if (noOpt !== undefined && noOpt !== '') {
      if (def.type === 'string') head += `[="${noOpt}"]`;
      else if (def.type !== 'bool' || noOpt !== 'true') head += `[=${noOpt}]`;
    }
    maxlen = Math.max(maxlen, head.length + 1);
    let text = usage;
    const dflt = defaultText(def);
    if (dflt !== '') text += ` (default ${dflt})`;
    rows.push({ head, usage: text });
  }
  let out = '';
  for (const { head, usage } of rows) {
    out += `${head} ${' '.repeat(maxlen - head.length)} ${wrapText(maxlen + 2, cols, usage)}\n`;
  }
  return out;
}

export interface HelpOptions {
  /** Terminal width (default 80); flag usages wrap at width - 1. */
  width?: number;
  /** The root command's (global) flags. */
  rootFlags?: readonly FlagDef[];
  /** Closing paragraph of the top-level help. */
  additionalHelp?: string;
}

function listing(nodes: CommandNode[]): string {
  return nodes.map((n) => `\n  ${n.name.padEnd(n.namePadding)} ${n.info.short}`).join('');
}

const byName = (a: CommandNode, b: CommandNode) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Renders `berth [group] [command] --help` (ends with a newline). */
export function renderHelp(node: CommandNode, opts: HelpOptions = {}): string {
  const cols = (opts.width ?? DEFAULT_TERMINAL_WIDTH) - 1;
  const flags = node.kind === 'root' ? opts.rootFlags ?? [] : commandFlagDefs(node);
  const hasFlags = flags.some((f) => !f.hidden && !f.deprecated);
  const visible = node.children.filter((c) => !c.info.hidden);
  const groups = visible.filter((c) => c.kind === 'group').sort(byName);
  const common = node.kind === 'root'
    ? visible.filter((c) => c.kind === 'leaf' && c.info.category === 'common').sort((a, b) => a.info.order - b.info.order)
    : [];
  const ops = visible.filter((c) => c.kind === 'leaf' && !common.includes(c)).sort(byName);

  let usage: string;
  if (node.kind === 'leaf') usage = node.useLine;
  else usage = `${node.path}${hasFlags ? ' [OPTIONS]' : ''} COMMAND`;
  let out = `Usage:  ${usage}\n\n${(node.info.long ?? node.info.short).trim()}`;
  const aliases = node.aliasLine;
  if (aliases) out += `\n\nAliases:\n  ${aliases}`;
  if (node.info.example) out += `\n\nExamples:\n${node.info.example}`;
  if (node.kind !== 'root' && hasFlags) out += `\n\nOptions:\n${flagUsages(flags, cols).trimEnd()}`;
  if (common.length > 0) out += `\n\nCommon Commands:${listing(common)}`;
  if (groups.length > 0) out += `\n\nManagement Commands:${listing(groups)}`;
  if (ops.length > 0) out += `\n\nCommands:${listing(ops)}`;
  if (node.kind === 'root' && hasFlags) out += `\n\nGlobal Options:\n${flagUsages(flags, cols).trimEnd()}`;
  if (node.kind !== 'leaf') out += `\n\nRun '${node.path} COMMAND --help' for more information on a command.`;
  if (node.kind === 'root' && opts.additionalHelp) out += `\n\n${opts.additionalHelp}`;
  return out + '\n';
}
