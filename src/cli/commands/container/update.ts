// berth update: new resource limits or restart policy for containers (POST /containers/{id}/update).
import type { EngineClient } from '../../../client/client.js';
import { call } from '../../../client/transport.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';
import { resourceFields, UPDATE_RESOURCE_FLAGS } from './resource-options.js';

function restartPolicy(value: string): { Name: string; MaximumRetryCount: number } {
  const [name, count] = value.split(':');
  if (count !== undefined && name !== 'on-failure') {
    throw new Error(`invalid restart policy format: maximum retry count can only be used with 'on-failure'`);
  }
  const n = count === undefined ? 0 : Number(count);
  if (!Number.isInteger(n)) throw new Error(`invalid restart policy format: maximum retry count must be an integer`);
  return { Name: name ?? '', MaximumRetryCount: n };
}

export const updateCommand = defineCommand({
  name: 'update',
  usage: 'update [OPTIONS] CONTAINER [CONTAINER...]',
  short: 'Update configuration of one or more containers',
  args: { min: 1 },
  flags: [
    ...UPDATE_RESOURCE_FLAGS,
    { name: 'restart', type: 'string', usage: 'Restart policy to apply when a container exits' },
  ],
  async run(ctx: CommandContext, opts: FlagValues, args: string[]) {
    if (ctx.changed.size === 0) throw new Error('you must provide one or more flags when using this command');
    const body: Record<string, unknown> = resourceFields(opts, ctx.changed);
    if (ctx.changed.has('restart')) body.RestartPolicy = restartPolicy(opts.restart as string);
    const client = await ctx.getClient<EngineClient>();
    const warnings: string[] = [];
    const errors: string[] = [];
    for (const ref of args) {
      try {
        const r = await call<{ Warnings?: string[] | null }>(client.ep, `/containers/${encodeURIComponent(ref)}/update`, { method: 'POST', body });
        warnings.push(...(r.body?.Warnings ?? []));
        ctx.io.stdout.write(`${ref}\n`);
      } catch (err) {
        errors.push(describe(err));
      }
    }
    if (warnings.length) ctx.io.stdout.write(`${warnings.join('\n')}\n`);
    if (errors.length) throw new Error(errors.join('\n'));
  },
});
