// berth export [-o file] CONTAINER
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { EngineClient } from '../../../client/client.js';
import { send } from '../../../client/transport.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';

export const exportCommand = defineCommand({
  name: 'export',
  usage: 'export [OPTIONS] CONTAINER',
  short: "Export a container's filesystem as a tar archive",
  args: { exact: 1 },
  flags: [{ name: 'output', short: 'o', type: 'string', usage: 'Write to a file, instead of STDOUT' }],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const output = opts.output as string;
    if (!output && ctx.io.stdout.isTTY) {
      throw new Error('cowardly refusing to save to a terminal. Use the -o flag or redirect');
    }
    const client = await ctx.getClient<EngineClient>();
    let res;
    try {
      res = await send(client.ep, `/containers/${encodeURIComponent(args[0])}/export`);
    } catch (err) {
      throw new Error(describe(err));
    }
    const dest = output ? createWriteStream(output) : ctx.io.stdout;
    try {
      await pipeline(res, dest as NodeJS.WritableStream, { end: !!output });
    } catch (err) {
      throw new Error(output ? `failed to export container: ${(err as Error).message}` : (err as Error).message);
    }
  },
});
