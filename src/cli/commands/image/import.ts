// berth import file|URL|- [REPOSITORY[:TAG]]
import { splitRepoTag } from '../../split-reference.js';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { jsonMessages, type EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';

export const importCommand = defineCommand({
  name: 'import',
  usage: 'import [OPTIONS] file|URL|- [REPOSITORY[:TAG]]',
  short: 'Import the contents from a tarball to create a filesystem image',
  args: { min: 1, max: 2 },
  flags: [
    { name: 'change', short: 'c', type: 'stringArray', valueName: 'list', usage: 'Apply Dockerfile instruction to the created image' },
    { name: 'message', short: 'm', type: 'string', usage: 'Set commit message for imported image' },
    { name: 'platform', type: 'string', usage: 'Set platform if server is multi-platform capable' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const [source, ref] = args;
    const { repo, tag } = splitRepoTag(ref);
    let body: Readable | undefined;
    let fromSrc = source;
    if (source === '-') body = ctx.io.stdin as Readable;
    else if (!/^https?:\/\//.test(source)) {
      body = createReadStream(source);
      await new Promise<void>((resolve, reject) => body!.once('open', () => resolve()).once('error', reject)).catch((err) => {
        throw new Error(`open ${source}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
      });
      fromSrc = '-';
    }
    const client = await ctx.getClient<EngineClient>();
    try {
      const stream = await client.imageCreate(
        { fromSrc, repo, tag, message: (opts.message as string) || undefined, changes: opts.change as string[] },
        body,
      );
      for await (const m of jsonMessages(stream)) {
        if (m.errorDetail) throw new Error(m.errorDetail.message);
        if (m.status) ctx.io.stdout.write(`${m.status}\n`);
      }
    } catch (err) {
      throw new Error(describe(err));
    }
  },
});
