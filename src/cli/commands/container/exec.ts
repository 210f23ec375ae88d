// berth exec: run a command in a running container, as `docker exec` does:
// create the exec, start it (detached, or attached with our stdin, stdout and
// stderr), and exit with the command's exit code.
import type { ExecCreateRequest } from '../../../api/types.js';
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, StatusError, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';
import { attachIo } from './attach-io.js';
import { parseEnv, parseEnvFile } from './create-options.js';

type TtyOut = NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };

export const execCommand = defineCommand({
  name: 'exec',
  usage: 'exec [OPTIONS] CONTAINER COMMAND [ARG...]',
  short: 'Execute a command in a running container',
  interspersed: false,
  args: { min: 2 },
  flags: [
    { name: 'detach', short: 'd', type: 'bool', usage: 'Detached mode: run command in the background' },
    { name: 'detach-keys', type: 'string', usage: 'Override the key sequence for detaching a container' },
    { name: 'env', short: 'e', type: 'stringArray', valueName: 'list', usage: 'Set environment variables' },
    { name: 'env-file', type: 'stringArray', valueName: 'list', usage: 'Read in a file of environment variables' },
    { name: 'interactive', short: 'i', type: 'bool', usage: 'Keep STDIN open even if not attached' },
    { name: 'privileged', type: 'bool', usage: 'Give extended privileges to the command' },
    { name: 'tty', short: 't', type: 'bool', usage: 'Allocate a pseudo-TTY' },
    { name: 'user', short: 'u', type: 'string', usage: 'Username or UID (format: "<name|uid>[:<group|gid>]")' },
    { name: 'workdir', short: 'w', type: 'string', usage: 'Working directory inside the container' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const [container, ...cmd] = args as [string, ...string[]];
    const detach = Boolean(opts.detach);
    const tty = Boolean(opts.tty);
    const stdin = !detach && Boolean(opts.interactive);
    // Checked before anything is created on the daemon (as the docker CLI does).
    if (!detach && tty && stdin && !ctx.io.stdin.isTTY) throw new Error('the input device is not a TTY');
    const env = [...(opts['env-file'] as string[]).flatMap((f) => parseEnvFile(f, ctx.env)), ...parseEnv(opts.env as string[], ctx.env)];
    const out = ctx.io.stdout as TtyOut;
    const consoleSize: [number, number] | undefined = tty && out.isTTY && out.rows && out.columns ? [out.rows, out.columns] : undefined;
    const detachKeys = (opts['detach-keys'] as string) || undefined;
    const req: ExecCreateRequest = {
      User: opts.user as string,
      Privileged: Boolean(opts.privileged),
      Tty: tty,
      ConsoleSize: consoleSize ?? null,
      AttachStdin: stdin,
      AttachStderr: !detach,
      AttachStdout: !detach,
      DetachKeys: detachKeys ?? '',
      Env: env,
      WorkingDir: opts.workdir as string,
      Cmd: cmd,
    };
    const client = await ctx.getClient<EngineClient>();
    const fail = (err: unknown): never => {
      throw new StatusError(describe(err), 1);
    };
    const { Id: id } = await client.execCreate(container, req).catch(fail);
    if (detach) {
      await client.execStart(id, { Detach: true, Tty: tty, ConsoleSize: consoleSize ?? null }).catch(fail);
      return 0;
    }
    const sock = await client.execAttach(id, { Tty: tty, ConsoleSize: consoleSize ?? null }).catch(fail);
    // attachIo resizes through containerResize; for an exec the size goes to the exec.
    const resizer = { containerResize: (execId: string, h: number, w: number) => client.execResize(execId, h, w) } as unknown as EngineClient;
    const io = attachIo(resizer, id, sock, ctx.io, { tty, stdin, detachKeys });
    io.begin();
    await io.output.catch((err) => {
      ctx.io.stderr.write(`${describe(err)}\n`);
    });
    // The docker CLI reports a detach from an exec as an error, exit status 1.
    if (io.detached()) throw new StatusError('read escape sequence', 1);
    const status = await client.execInspect(id).catch(fail);
    return status.ExitCode ?? 0;
  },
});
