// berth start [-a]
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe, forEachArg } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';
import { attachIo } from './attach-io.js';
import { startExitCode } from './run.js';

export const startCommand = defineCommand({
  name: 'start',
  usage: 'start [OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Start one or more stopped containers',
  args: { min: 1 },
  flags: [
    { name: 'attach', short: 'a', type: 'bool', usage: 'Attach STDOUT/STDERR and forward signals' },
    { name: 'interactive', short: 'i', type: 'bool', usage: "Attach container's STDIN" },
    { name: 'detach-keys', type: 'string', usage: 'Override the key sequence for detaching a container' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const client = await ctx.getClient<EngineClient>();
    if (opts.attach || opts.interactive) {
      if (args.length > 1) throw new Error('you cannot start and attach multiple containers at once');
      const c = await client.containerInspect(args[0]).catch((err) => {
        throw new Error(describe(err));
      });
      const tty = Boolean(c.Config.Tty);
      const stdin = Boolean(opts.interactive) && Boolean(c.Config.OpenStdin);
      const detachKeys = (opts['detach-keys'] as string) || undefined;
      const attach = await client.containerAttach(c.Id, { stream: 1, stdin: stdin ? 1 : undefined, stdout: 1, stderr: 1, detachKeys });
      const io = attachIo(client, c.Id, attach, ctx.io, { tty, stdin, detachKeys });
      const wait = client.containerWaitReady(c.Id, 'next-exit');
      await wait.ready;
      try {
        await client.containerStart(c.Id);
      } catch (err) {
        attach.destroy();
        io.restore();
        ctx.io.stderr.write(`${describe(err)}\n`);
        return startExitCode(err) === 125 ? 1 : startExitCode(err);
      }
      io.begin();
      await io.output.catch((err) => {
        ctx.io.stderr.write(`${describe(err)}\n`);
      });
      if (io.detached()) return 0;
      const status = await wait.result;
      return status.StatusCode;
    }
    return forEachArg(args, ctx.io.stderr, async (ref) => {
      await client.containerStart(ref);
      ctx.io.stdout.write(`${ref}\n`);
    });
  },
});
