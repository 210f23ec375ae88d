// berth diff CONTAINER
import type { EngineClient } from '../../../client/client.js';
import { call } from '../../../client/transport.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';

const LETTERS = ['C', 'A', 'D'];

export const diffCommand = defineCommand({
  name: 'diff',
  usage: 'diff CONTAINER',
  short: "Inspect changes to files or directories on a container's filesystem",
  args: { exact: 1 },
  flags: [],
  async run(ctx: CommandContext, _opts, args: string[]) {
    const client = await ctx.getClient<EngineClient>();
    let changes: Array<{ Path: string; Kind: number }> | null;
    try {
      changes = (await call<Array<{ Path: string; Kind: number }> | null>(client.ep, `/containers/${encodeURIComponent(args[0])}/changes`)).body;
    } catch (err) {
      throw new Error(describe(err));
    }
    for (const c of changes ?? []) ctx.io.stdout.write(`${LETTERS[c.Kind] ?? '?'} ${c.Path}\n`);
  },
});
