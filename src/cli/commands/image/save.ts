// berth save [-o FILE] IMAGE [IMAGE...]
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';

export const saveCommand = defineCommand({
  name: 'save',
  usage: 'save [OPTIONS] IMAGE [IMAGE...]',
  short: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
  args: { min: 1 },
  flags: [{ name: 'output', short: 'o', type: 'string', usage: 'Write to a file, instead of STDOUT' }],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const output = opts.output as string;
    if (!output && ctx.io.stdout.isTTY) {
      throw new Error('cowardly refusing to save to a terminal. Use the -o flag or redirect');
    }
    if (output) await validateOutputPath(output);
    const client = await ctx.getClient<EngineClient>();
    let res;
    try {
      res = await client.imageSave(args);
    } catch (err) {
      throw new Error(describe(err));
    }
    if (!output) {
      await pipeline(res, ctx.io.stdout, { end: false });
      return;
    }
    // As docker's CopyToFile: a temp file beside the target, renamed once complete.
    const temp = path.join(path.dirname(output), `.docker_temp_${randomBytes(6).toString('hex')}`);
    try {
      await pipeline(res, createWriteStream(temp, { mode: 0o600, highWaterMark: 1 << 20 }));
      await fs.rename(temp, output);
    } catch (err) {
      await fs.rm(temp, { force: true });
      throw new Error(`failed to save image: ${(err as Error).message}`);
    }
  },
});

/** docker/cli's ValidateOutputPath, with its wording. */
async function validateOutputPath(output: string): Promise<void> {
  const dir = path.dirname(path.normalize(output));
  try {
    await fs.stat(dir);
  } catch (err) {
    throw new Error(`failed to save image: invalid output path: stat ${dir}: ${goErrno(err)}`);
  }
  const st = await fs.stat(output).catch(() => undefined);
  if (st?.isDirectory()) throw new Error('failed to save image: cannot write to a directory');
}

function goErrno(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (
    ({ ENOENT: 'no such file or directory', ENOTDIR: 'not a directory', EACCES: 'permission denied' } as Record<string, string>)[code ?? ''] ??
    (err as Error).message
  );
}
