// berth commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]
import { splitRepoTag } from '../../split-reference.js';
import type { EngineClient } from '../../../client/client.js';
import { call } from '../../../client/transport.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';

export const commitCommand = defineCommand({
  name: 'commit',
  usage: 'commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
  short: "Create a new image from a container's changes",
  args: { min: 1, max: 2 },
  flags: [
    { name: 'author', short: 'a', type: 'string', usage: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
    { name: 'change', short: 'c', type: 'stringArray', valueName: 'list', usage: 'Apply Dockerfile instruction to the created image' },
    { name: 'message', short: 'm', type: 'string', usage: 'Commit message' },
    { name: 'pause', short: 'p', type: 'bool', default: true, usage: 'Pause container during commit' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const [container, ref] = args;
    const { repo, tag } = splitRepoTag(ref);
    const client = await ctx.getClient<EngineClient>();
    try {
      const res = await call<{ Id: string }>(client.ep, '/commit', {
        method: 'POST',
        query: {
          container,
          repo,
          tag,
          comment: (opts.message as string) || undefined,
          author: (opts.author as string) || undefined,
          pause: opts.pause as boolean,
          changes: opts.change as string[],
        },
        body: {},
      });
      ctx.io.stdout.write(`${res.body.Id}\n`);
    } catch (err) {
      throw new Error(describe(err));
    }
  },
});
