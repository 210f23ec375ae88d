// berth inspect / container inspect / image inspect
import type { EngineClient } from '../../../client/client.js';
import { ApiError } from '../../../client/transport.js';
import { defineCommand, type Command, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';
import { renderTemplate } from '../../format/go-template.js';

type Kind = 'container' | 'image';

const FLAGS = [
  { name: 'format', short: 'f', type: 'string' as const, usage: 'Format output using a custom template' },
  { name: 'size', short: 's', type: 'bool' as const, usage: 'Display total file sizes if the type is container' },
];

async function fetch(client: EngineClient, kind: Kind, ref: string): Promise<unknown> {
  return kind === 'container' ? client.containerInspect(ref) : client.imageInspect(ref);
}

/** Prints each object as JSON (or through --format); exit 1 if any was missing. */
async function inspect(ctx: CommandContext, opts: FlagValues, refs: string[], kinds: Kind[], missing: (ref: string) => string) {
  const client = await ctx.getClient<EngineClient>();
  const found: unknown[] = [];
  const errors: string[] = [];
  for (const ref of refs) {
    let obj: unknown;
    for (const kind of kinds) {
      try {
        obj = await fetch(client, kind, ref);
        break;
      } catch (err) {
        if (!(err instanceof ApiError) || err.statusCode !== 404) {
          errors.push(describe(err));
          obj = null;
          break;
        }
      }
    }
    if (obj === undefined) errors.push(missing(ref));
    else if (obj !== null) found.push(obj);
  }
  const format = opts.format as string;
  if (format) {
    for (const o of found) ctx.io.stdout.write(`${renderTemplate(format, asGoMaps(o))}\n`);
  } else {
    ctx.io.stdout.write(`${found.length ? JSON.stringify(found, null, 4) : '[]'}\n`);
  }
  if (errors.length) {
    ctx.io.stderr.write(errors.map((e) => `${e}\n`).join(''));
    return 1;
  }
  return 0;
}

export const inspectCommand = defineCommand({
  name: 'inspect',
  usage: 'inspect [OPTIONS] NAME|ID [NAME|ID...]',
  short: 'Return low-level information on Docker objects',
  args: { min: 1 },
  flags: [...FLAGS, { name: 'type', type: 'string', usage: 'Only inspect objects of the given type' }],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const type = opts.type as string;
    if (type && type !== 'container' && type !== 'image') throw new Error(`"${type}" is not a valid value for --type`);
    const kinds: Kind[] = type ? [type as Kind] : ['container', 'image'];
    return inspect(ctx, opts, args, kinds, (ref) => `Error: No such ${type || 'object'}: ${ref}`);
  },
});

export const containerInspectCommand: Command = defineCommand({
  name: 'inspect',
  usage: 'inspect [OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Display detailed information on one or more containers',
  args: { min: 1 },
  flags: FLAGS,
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    return inspect(ctx, opts, args, ['container'], (ref) => `Error response from daemon: No such container: ${ref}`);
  },
});

export const imageInspectCommand: Command = defineCommand({
  name: 'inspect',
  usage: 'inspect [OPTIONS] IMAGE [IMAGE...]',
  short: 'Display detailed information on one or more images',
  args: { min: 1 },
  flags: [{ name: 'format', short: 'f', type: 'string', usage: 'Format output using a custom template' }],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    return inspect(ctx, opts, args, ['image'], (ref) => `Error response from daemon: No such image: ${ref}`);
  },
});

/**
 * The docker CLI decodes inspect output into Go maps, so templates see sorted
 * keys (`{{json .Config.Labels}}`); Maps give the template engine that order.
 */
function asGoMaps(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(asGoMaps);
  if (v && typeof v === 'object') return new Map(Object.entries(v).map(([k, x]) => [k, asGoMaps(x)]));
  return v;
}
