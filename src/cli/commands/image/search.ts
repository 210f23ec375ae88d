// berth search [OPTIONS] TERM — against a registry's catalog ("127.0.0.1:5000/term") or Docker Hub.
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { registryAuthFor } from '../../config-file.js';
import { describe } from '../../daemon-error.js';
import { filtersJson } from '../../filter-flag.js';
import type { FlagValues } from '../../flags.js';
import { ellipsis } from '../../format/container-row.js';
import { formatRows } from '../../format/formatter.js';

const DEFAULT = 'table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}';
const HEADERS = { Name: 'NAME', Description: 'DESCRIPTION', StarCount: 'STARS', IsOfficial: 'OFFICIAL', IsAutomated: 'AUTOMATED' };

export const searchCommand = defineCommand({
  name: 'search',
  usage: 'search [OPTIONS] TERM',
  short: 'Search Docker Hub for images',
  args: { exact: 1 },
  flags: [
    { name: 'filter', short: 'f', type: 'stringArray', valueName: 'filter', usage: 'Filter output based on conditions provided' },
    { name: 'format', type: 'string', usage: 'Pretty-print search using a Go template' },
    { name: 'limit', type: 'int', usage: 'Max number of search results' },
    { name: 'no-trunc', type: 'bool', usage: "Don't truncate output" },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    const term = args[0];
    const client = await ctx.getClient<EngineClient>();
    const domain = searchDomain(term);
    const auth = await registryAuthFor(ctx.globals.config, ctx.env, domain);
    const limit = Number(opts.limit ?? 0);
    let results;
    try {
      results = await client.imageSearch(
        { term, limit: limit > 0 ? limit : undefined, filters: filtersJson((opts.filter as string[]) ?? []) },
        auth,
      );
    } catch (err) {
      throw new Error(describe(err));
    }
    const trunc = !opts['no-trunc'];
    const rows = results.map((r) => {
      const desc = (r.description ?? '').replace(/[\n\r]/g, ' ');
      return {
        Name: r.name,
        Description: trunc ? ellipsis(desc, 45) : desc,
        StarCount: String(r.star_count ?? 0),
        IsOfficial: r.is_official ? '[OK]' : '',
        IsAutomated: r.is_automated ? '[OK]' : '',
      };
    });
    ctx.io.stdout.write(formatRows((opts.format as string) || DEFAULT, rows, HEADERS));
  },
});

/** Docker's splitReposSearchTerm: the registry a search term names (docker.io unless it starts with a host). */
function searchDomain(term: string): string {
  const slash = term.indexOf('/');
  const first = slash >= 0 ? term.slice(0, slash) : '';
  return slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}
