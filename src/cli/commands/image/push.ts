// berth push [-a] [-q] NAME[:TAG]
import type { EngineClient } from '../../../client/client.js';
import { jsonMessages } from '../../../client/client.js';
import { familiarRepository, fullName } from '../../../oci/reference.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { registryAuthFor } from '../../config-file.js';
import { referenceArg } from './reference-arg.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';
import { displayJsonMessages } from '../../progress/display-json.js';

export const pushCommand = defineCommand({
  name: 'push',
  usage: 'push [OPTIONS] NAME[:TAG]',
  short: 'Upload an image to a registry',
  args: { exact: 1 },
  flags: [
    { name: 'all-tags', short: 'a', type: 'bool', usage: 'Push all tags of an image to the repository' },
    { name: 'disable-content-trust', type: 'bool', default: true, usage: 'Skip image signing' },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Suppress verbose output' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const all = Boolean(opts['all-tags']);
    const quiet = Boolean(opts.quiet);
    const ref = referenceArg(ctx, args[0], all, quiet);
    if (ref.digest) throw new Error('cannot push a digest reference');
    const client = await ctx.getClient<EngineClient>();
    const auth = await registryAuthFor(ctx.globals.config, ctx.env, ref.domain);
    const out = ctx.io.stdout;
    try {
      const stream = await client.imagePush(familiarRepository(ref), { tag: ref.tag ?? '' }, auth);
      const sink = quiet ? ({ write: () => true } as unknown as NodeJS.WritableStream) : out;
      await displayJsonMessages(jsonMessages(stream), sink, { terminal: !quiet && Boolean(out.isTTY), width: out.columns });
    } catch (err) {
      throw new Error(describe(err));
    }
    if (quiet) out.write(`${fullName(ref)}\n`);
  },
});
