// berth pull [-a] [-q] [--platform P] NAME[:TAG|@DIGEST]
import type { EngineClient } from '../../../client/client.js';
import { jsonMessages } from '../../../client/client.js';
import { familiarRepository, fullName, type Reference } from '../../../oci/reference.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { registryAuthFor } from '../../config-file.js';
import { referenceArg } from './reference-arg.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';
import { displayJsonMessages } from '../../progress/display-json.js';

export const pullCommand = defineCommand({
  name: 'pull',
  usage: 'pull [OPTIONS] NAME[:TAG|@DIGEST]',
  short: 'Download an image from a registry',
  args: { exact: 1 },
  flags: [
    { name: 'all-tags', short: 'a', type: 'bool', usage: 'Download all tagged images in the repository' },
    { name: 'disable-content-trust', type: 'bool', default: true, usage: 'Skip image verification' },
    { name: 'platform', type: 'string', usage: 'Set platform if server is multi-platform capable' },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Suppress verbose output' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const all = Boolean(opts['all-tags']);
    const quiet = Boolean(opts.quiet);
    const ref = referenceArg(ctx, args[0], all, quiet);
    const client = await ctx.getClient<EngineClient>();
    await pullImage(ctx, client, ref, { all, quiet, platform: (opts.platform as string) || undefined });
    ctx.io.stdout.write(`${fullName(ref)}\n`);
  },
});

export interface PullOptions {
  all?: boolean;
  quiet?: boolean;
  platform?: string;
  /** Where the progress goes (stdout by default; `run` shows it on stderr). */
  out?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
}

/** POST /images/create?fromImage= with the stored credentials, rendering the progress as docker does. */
export async function pullImage(ctx: CommandContext, client: EngineClient, ref: Reference, o: PullOptions): Promise<void> {
  const auth = await registryAuthFor(ctx.globals.config, ctx.env, ref.domain);
  const query = {
    fromImage: familiarRepository(ref),
    tag: o.all ? undefined : (ref.digest ?? ref.tag),
    platform: o.platform,
  };
  const out = o.out ?? ctx.io.stdout;
  try {
    const stream = await client.imagePull(query, auth);
    const sink = o.quiet ? { write: () => true } : out;
    await displayJsonMessages(jsonMessages(stream), sink as NodeJS.WritableStream, { terminal: !o.quiet && Boolean(out.isTTY), width: out.columns });
  } catch (err) {
    throw new Error(describe(err));
  }
}
