// berth attach: our stdin, stdout and stderr to a running container.
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, StatusError, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';
import { attachIo } from './attach-io.js';

export const attachCommand = defineCommand({
  name: 'attach',
  usage: 'attach [OPTIONS] CONTAINER',
  short: 'Attach local standard input, output, and error streams to a running container',
  args: { exact: 1 },
  flags: [
    { name: 'detach-keys', type: 'string', usage: 'Override the key sequence for detaching a container' },
    { name: 'no-stdin', type: 'bool', usage: 'Do not attach STDIN' },
    { name: 'sig-proxy', type: 'bool', usage: 'Proxy all received signals to the process' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const client = await ctx.getClient<EngineClient>();
    const c = await client.containerInspect(args[0]).catch((err) => {
      throw new StatusError(describe(err), 1);
    });
    if (!c.State.Running) throw new StatusError('You cannot attach to a stopped container, start it first', 1);
    if (c.State.Paused) throw new StatusError('You cannot attach to a paused container, unpause it first', 1);
    const tty = Boolean(c.Config.Tty);
    const stdin = Boolean(c.Config.OpenStdin) && !opts['no-stdin'];
    const detachKeys = (opts['detach-keys'] as string) || undefined;
    const sock = await client.containerAttach(c.Id, { stream: 1, stdin: stdin ? 1 : undefined, stdout: 1, stderr: 1, detachKeys });
    const io = attachIo(client, c.Id, sock, ctx.io, { tty, stdin, detachKeys });
    io.begin();
    await io.output.catch((err) => {
      ctx.io.stderr.write(`${describe(err)}\n`);
    });
    if (io.detached()) return 0;
    const status = await client.containerWait(c.Id, 'not-running');
    return status.StatusCode;
  },
});
