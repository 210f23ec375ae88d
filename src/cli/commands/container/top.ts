// berth top
import type { EngineClient } from '../../../client/client.js';
import { call } from '../../../client/transport.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import { TabWriter } from '../../format/tabwriter.js';

interface TopBody {
  Titles: string[] | null;
  Processes: string[][] | null;
}

export const topCommand = defineCommand({
  name: 'top',
  usage: 'top CONTAINER [ps OPTIONS]',
  short: 'Display the running processes of a container',
  args: { min: 1 },
  interspersed: false,
  flags: [],
  async run(ctx: CommandContext, _opts: unknown, args: string[]) {
    const client = await ctx.getClient<EngineClient>();
    const [ref, ...ps] = args;
    let body: TopBody;
    try {
      const query = ps.length ? { ps_args: ps.join(' ') } : {};
      body = (await call<TopBody>(client.ep, `/containers/${encodeURIComponent(ref!)}/top`, { query })).body;
    } catch (err) {
      throw new Error(describe(err));
    }
    const tw = new TabWriter(20, 1, 3, ' ', 0);
    tw.write(`${(body.Titles ?? []).join('\t')}\n`);
    for (const p of body.Processes ?? []) tw.write(`${p.join('\t')}\n`);
    ctx.io.stdout.write(tw.flush());
  },
});
