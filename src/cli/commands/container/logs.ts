// berth logs
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import { copyOutput } from '../../demux.js';
import type { FlagValues } from '../../flags.js';
import { apiTimestamp } from '../../timestamp.js';

export const logsCommand = defineCommand({
  name: 'logs',
  usage: 'logs [OPTIONS] CONTAINER',
  short: 'Fetch the logs of a container',
  args: { exact: 1 },
  flags: [
    { name: 'details', type: 'bool', usage: 'Show extra details provided to logs' },
    { name: 'follow', short: 'f', type: 'bool', usage: 'Follow log output' },
    { name: 'since', type: 'string', usage: 'Show logs since timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
    { name: 'tail', short: 'n', type: 'string', default: 'all', usage: 'Number of lines to show from the end of the logs' },
    { name: 'timestamps', short: 't', type: 'bool', usage: 'Show timestamps' },
    { name: 'until', type: 'string', usage: 'Show logs before a timestamp (e.g. "2013-01-02T13:23:37Z") or relative (e.g. "42m" for 42 minutes)' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const client = await ctx.getClient<EngineClient>();
    try {
      const c = await client.containerInspect(args[0]);
      const stream = await client.containerLogs(c.Id, {
        stdout: 1,
        stderr: 1,
        follow: opts.follow ? 1 : undefined,
        since: opts.since ? apiTimestamp(opts.since as string) : undefined,
        until: opts.until ? apiTimestamp(opts.until as string) : undefined,
        timestamps: opts.timestamps ? 1 : undefined,
        tail: opts.tail as string,
        details: opts.details ? 1 : undefined,
      });
      // `berth logs x | head`: once the reader is gone, stop quietly (the docker CLI dies of SIGPIPE).
      let readerGone = false;
      const onError = (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') return;
        readerGone = true;
        stream.destroy();
      };
      // Left in place: writes still queued may fail after the copy has stopped.
      ctx.io.stdout.on('error', onError);
      try {
        await copyOutput(stream, Boolean(c.Config.Tty), ctx.io.stdout, ctx.io.stderr);
      } catch (err) {
        if (!readerGone) throw err;
      }
    } catch (err) {
      throw new Error(describe(err));
    }
  },
});
