// berth login [-u USER] [-p PASS | --password-stdin] [SERVER]: checks the credentials through the
// daemon (POST /auth), then stores them in the client config (Docker's schema, mode 0600).
import type { EngineClient } from '../../../client/client.js';
import type { CliIO } from '../../command.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { configPath, hostnameOf, INDEX_SERVER, loadCredentials, storeCredentials, type Credentials } from '../../config-file.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';

export const loginCommand = defineCommand({
  name: 'login',
  usage: 'login [OPTIONS] [SERVER]',
  short: 'Authenticate to a registry',
  long: 'Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.',
  args: { max: 1 },
  flags: [
    { name: 'password', short: 'p', type: 'string', usage: 'Password or Personal Access Token (PAT)' },
    { name: 'password-stdin', type: 'bool', usage: 'Take the Password or Personal Access Token (PAT) from stdin' },
    { name: 'username', short: 'u', type: 'string', usage: 'Username' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const io = ctx.io;
    let user = (opts.username as string) ?? '';
    let password = (opts.password as string) ?? '';
    if (password) {
      if (opts['password-stdin']) throw new Error('conflicting options: cannot specify both --password and --password-stdin');
      io.stderr.write('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
    }
    if (opts['password-stdin']) {
      if (!user) throw new Error('the --password-stdin option requires --username to be set');
      password = (await readAll(io.stdin)).replace(/\n$/, '').replace(/\r$/, '');
    }
    const isDefault = args.length === 0;
    const server = isDefault ? INDEX_SERVER : args[0];
    const key = isDefault ? INDEX_SERVER : hostnameOf(server);
    const client = await ctx.getClient<EngineClient>();

    // No credentials given: try the stored ones first, as docker does.
    if (!user && !password) {
      const stored = await loadCredentials(ctx.globals.config, ctx.env, key);
      if (stored?.username && stored.password) {
        io.stderr.write(
          `Authenticating with existing credentials... [Username: ${stored.username}]\n\n` +
            ` Info \u2192 To login with a different account, run 'berth logout' followed by 'berth login'\n\n\n`,
        );
        try {
          const res = await client.authLogin({ username: stored.username, password: stored.password, serveraddress: key });
          io.stdout.write(`${res.Status}\n`);
          return;
        } catch {
          io.stderr.write('Login did not succeed, error: stored credentials were refused\n');
          user = stored.username;
        }
      }
    }
    if (!user || !password) {
      if (!io.stdin.isTTY) throw new Error('Error: Cannot perform an interactive login from a non TTY device');
      if (!user) user = (await prompt(io, `Username: `, true)).trim();
      if (!user) throw new Error('Error: Non-null Username Required');
      if (!password) password = await prompt(io, 'Password: ', false);
      if (!password) throw new Error('Error: Password Required');
    }
    let res;
    try {
      res = await client.authLogin({ username: user, password, serveraddress: key });
    } catch (err) {
      throw new Error(describe(err));
    }
    const creds: Credentials = { username: user, password, serveraddress: key };
    if (res.IdentityToken) {
      creds.password = undefined;
      creds.identitytoken = res.IdentityToken;
    }
    let changed: boolean;
    try {
      changed = await storeCredentials(ctx.globals.config, creds);
    } catch (err) {
      throw new Error(`Error saving credentials: ${(err as Error).message}`);
    }
    if (changed) io.stderr.write(`\nWARNING! Your credentials are stored unencrypted in '${configPath(ctx.globals.config)}'.\n\n`);
    io.stdout.write(`${res.Status}\n`);
  },
});

async function readAll(stdin: NodeJS.ReadableStream): Promise<string> {
  let s = '';
  for await (const c of stdin) s += c.toString();
  return s;
}

/** One line from the terminal; `echo` false reads it without showing it (a password). */
async function prompt(io: CliIO, question: string, echo: boolean): Promise<string> {
  io.stdout.write(question);
  const stdin = io.stdin as NodeJS.ReadStream;
  const raw = !echo && typeof stdin.setRawMode === 'function';
  if (raw) stdin.setRawMode(true);
  try {
    return await new Promise<string>((resolve, reject) => {
      let buf = '';
      const finish = (value: string) => {
        stdin.off('data', onData);
        stdin.pause();
        if (!echo) io.stdout.write('\n');
        resolve(value);
      };
      const onData = (d: Buffer | string) => {
        for (const ch of d.toString()) {
          if (ch === '\r' || ch === '\n') return finish(buf);
          if (ch === '\u0003') {
            stdin.off('data', onData);
            return reject(new Error(''));
          }
          if (ch === '\u007f' || ch === '\b') buf = buf.slice(0, -1);
          else buf += ch;
        }
      };
      stdin.on('data', onData);
      stdin.resume();
    });
  } finally {
    if (raw) stdin.setRawMode(false);
  }
}
