// berth logout [SERVER]: removes the stored credentials (under any spelling docker ever stored them).
import { defineCommand, type CommandContext } from '../../command.js';
import { eraseCredentials, hostnameOf, INDEX_SERVER } from '../../config-file.js';
import type { FlagValues } from '../../flags.js';

export const logoutCommand = defineCommand({
  name: 'logout',
  usage: 'logout [SERVER]',
  short: 'Log out from a registry',
  long: 'Log out from a registry.\nIf no server is specified, the default is defined by the daemon.',
  args: { max: 1 },
  flags: [],
  async run(ctx: CommandContext, _opts: FlagValues, args: string[]) {
    const server = args[0] ?? INDEX_SERVER;
    const host = args[0] ? hostnameOf(server) : server;
    const keys = args[0] ? [server, host, `http://${host}`, `https://${host}`] : [server];
    ctx.io.stdout.write(`Removing login credentials for ${host}\n`);
    try {
      await eraseCredentials(ctx.globals.config, keys);
    } catch (err) {
      ctx.io.stderr.write(`WARNING: could not erase credentials:\n`);
      ctx.io.stdout.write(`${server}: ${(err as Error).message}\n`);
    }
  },
});
