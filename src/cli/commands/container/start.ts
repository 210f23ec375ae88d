// berth start [-a]
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe, forEachArg } from '../../daemon-error.js';
import { copyOutput } from '../../demux.js';
import type { FlagValues } from '../../flags.js';
import { startExitCode } from './run.js';

export const startCommand = defineCommand({
  name: 'start',
  usage: 'start [OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Start one or more stopped containers',
  args: { min: 1 },
  flags: [
    { name: 'attach', short: 'a', type: 'bool', usage: 'Attach STDOUT/STDERR and forward signals' },
    { name: 'interactive', short: 'i', type: 'bool', usage: "Attach container's STDIN" },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const client = await ctx.getClient<EngineClient>();
    if (opts.attach) {
      if (args.length > 1) throw new Error('you cannot start and attach multiple containers at once');
      const c = await client.containerInspect(args[0]).catch((err) => {
        throw new Error(describe(err));
      });
      const attach = await client.containerAttach(c.Id, { stream: 1, stdout: 1, stderr: 1 });
      const wait = client.containerWaitReady(c.Id, 'next-exit');
      await wait.ready;
      try {
        await client.containerStart(c.Id);
      } catch (err) {
        attach.destroy();
        ctx.io.stderr.write(`${describe(err)}\n`);
        return startExitCode(err) === 125 ? 1 : startExitCode(err);
      }
      const out = copyOutput(attach, Boolean(c.Config.Tty), ctx.io.stdout, ctx.io.stderr);
      const status = await wait.result;
      await out;
      return status.StatusCode;
    }
    return forEachArg(args, ctx.io.stderr, async (ref) => {
      await client.containerStart(ref);
      ctx.io.stdout.write(`${ref}\n`);
    });
  },
});
