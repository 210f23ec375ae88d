// berth load [-i FILE] [-q]
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { jsonMessages, type EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';

export const loadCommand = defineCommand({
  name: 'load',
  usage: 'load [OPTIONS]',
  short: 'Load an image from a tar archive or STDIN',
  args: { exact: 0 },
  flags: [
    { name: 'input', short: 'i', type: 'string', usage: 'Read from tar archive file, instead of STDIN' },
    { name: 'quiet', short: 'q', type: 'bool', usage: 'Suppress the load output' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, _args: string[]) {
    const input = opts.input as string;
    // Without -i, a terminal on stdin means nobody is piping an archive in: do not hang.
    if (!input && ctx.io.stdin.isTTY) throw new Error('requested load from stdin, but stdin is empty');
    let body: Readable;
    if (input) {
      body = createReadStream(input, { highWaterMark: 1 << 20 });
      await new Promise<void>((resolve, reject) => body.once('open', () => resolve()).once('error', reject)).catch((err) => {
        const code = (err as NodeJS.ErrnoException).code;
        throw new Error(`open ${input}: ${code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
      });
    } else {
      body = ctx.io.stdin as Readable;
    }
    // As docker: progress only for a terminal.
    const tty = !!ctx.io.stdout.isTTY;
    const quiet = (opts.quiet as boolean) || !tty;
    const client = await ctx.getClient<EngineClient>();
    try {
      const stream = await client.imageLoad(body, quiet);
      for await (const m of jsonMessages(stream)) {
        if (m.errorDetail || m.error) throw new Error(m.errorDetail?.message ?? m.error);
        if (m.stream) ctx.io.stdout.write(m.stream);
        else if (m.status && tty) ctx.io.stdout.write(`${m.id ? `${m.id}: ` : ''}${m.status} ${m.progress ?? ''}\n`);
      }
    } catch (err) {
      throw new Error(describe(err));
    }
  },
});
