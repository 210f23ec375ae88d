// berth run: create, attach, wait, start — in the order the docker CLI uses.
import type { EngineClient } from '../../../client/client.js';
import { ApiError } from '../../../client/transport.js';
import { defineCommand, StatusError, type CommandContext } from '../../command.js';
import { describe, runError } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';
import { attachIo } from './attach-io.js';
import { CREATE_FLAGS, toCreateRequest } from './create-options.js';
import { createContainer } from './create-container.js';
import { pullImage } from '../image/pull.js';
import { parseReference } from '../../../oci/reference.js';

export const runCommand = defineCommand({
  name: 'run',
  usage: 'run [OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Create and run a new container from an image',
  interspersed: false,
  args: { min: 1 },
  flags: [
    ...CREATE_FLAGS,
    { name: 'detach', short: 'd', type: 'bool', usage: 'Run container in background and print container ID' },
    { name: 'detach-keys', type: 'string', usage: 'Override the key sequence for detaching a container' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const detach = Boolean(opts.detach);
    let req;
    try {
      req = toCreateRequest(opts, args[0], args.slice(1), detach, ctx.env, ctx.changed);
    } catch (err) {
      throw runError(err, ctx.commandPath);
    }
    const client = await ctx.getClient<EngineClient>();
    let id: string;
    try {
      id = await createContainer(client, req, (opts.name as string) || undefined, ctx.io.stderr, (ref) =>
        pullImage(ctx, client, parseReference(ref), { out: ctx.io.stderr }),
      );
    } catch (err) {
      throw runError(err, ctx.commandPath);
    }
    if (detach) {
      try {
        await client.containerStart(id);
      } catch (err) {
        throw runError(err, ctx.commandPath, startExitCode(err));
      }
      ctx.io.stdout.write(`${id}\n`);
      return 0;
    }
    return runAttached(ctx, client, id, {
      tty: Boolean(req.Tty),
      stdin: Boolean(req.OpenStdin),
      autoRemove: Boolean(opts.rm),
      detachKeys: (opts['detach-keys'] as string) || undefined,
    });
  },
});

interface RunAttachOptions {
  tty: boolean;
  stdin: boolean;
  autoRemove: boolean;
  detachKeys?: string;
}

async function runAttached(ctx: CommandContext, client: EngineClient, id: string, o: RunAttachOptions): Promise<number> {
  // Attach and wait must both be in place before the start; they need not wait for each other.
  const wait = client.containerWaitReady(id, o.autoRemove ? 'removed' : 'next-exit');
  const query = { stream: 1, stdin: o.stdin ? 1 : undefined, stdout: 1, stderr: 1, detachKeys: o.detachKeys };
  const [attach] = await Promise.all([client.containerAttach(id, query), wait.ready]);
  const io = attachIo(client, id, attach, ctx.io, { tty: o.tty, stdin: o.stdin, detachKeys: o.detachKeys });
  try {
    await client.containerStart(id);
  } catch (err) {
    // The daemon removes an AutoRemove container that failed to start.
    attach.destroy();
    io.restore();
    throw runError(err, ctx.commandPath, startExitCode(err));
  }
  io.begin();
  await io.output.catch((err) => {
    ctx.io.stderr.write(`${describe(err)}\n`);
  });
  if (io.detached()) return 0;
  const status = await wait.result;
  if (status.Error?.Message) throw new StatusError(`${ctx.commandPath.split(' ')[0]}: ${status.Error.Message}`, 125);
  return status.StatusCode;
}

/** docker maps runtime start errors to 127 (not found) and 126 (cannot invoke). */
export function startExitCode(err: unknown): number {
  const msg = err instanceof ApiError ? err.message : String(err);
  if (/executable file not found|no such file or directory/.test(msg)) return 127;
  if (/permission denied|cannot execute/i.test(msg)) return 126;
  return 125;
}
