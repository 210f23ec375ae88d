// berth version
import os from 'node:os';
import { API_VERSION, BERTH_VERSION } from '../../../api/version.js';
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';
import { renderTemplate } from '../../format/go-template.js';

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };

export const versionCommand = defineCommand({
  name: 'version',
  usage: 'version [OPTIONS]',
  short: 'Show the Berth version information',
  args: { max: 0 },
  flags: [{ name: 'format', short: 'f', type: 'string', usage: 'Format output using a custom template' }],
  async run(ctx: CommandContext, opts: FlagValues) {
    const client = {
      Platform: { Name: '' },
      Version: BERTH_VERSION,
      ApiVersion: API_VERSION,
      DefaultAPIVersion: API_VERSION,
      GoVersion: process.version,
      GitCommit: 'berth',
      BuildTime: '',
      Os: os.platform(),
      Arch: ARCH[process.arch] ?? process.arch,
      Context: 'default',
    };
    let server: Record<string, unknown> | undefined;
    let serverError: unknown;
    try {
      const c = await ctx.getClient<EngineClient>();
      client.ApiVersion = c.ep.version;
      server = await c.version();
    } catch (err) {
      serverError = err;
    }
    const format = opts.format as string;
    if (format) {
      ctx.io.stdout.write(`${renderTemplate(format, { Client: client, Server: server ?? null })}\n`);
    } else {
      ctx.io.stdout.write(clientText(client));
      if (server) ctx.io.stdout.write(`\n${serverText(server)}`);
    }
    if (serverError) throw new Error(describe(serverError));
  },
});

function clientText(c: { Version: string; ApiVersion: string; GoVersion: string; GitCommit: string; Os: string; Arch: string; Context: string }): string {
  return [
    'Client:',
    ` Version:           ${c.Version}`,
    ` API version:       ${c.ApiVersion}`,
    ` Node version:      ${c.GoVersion}`,
    ` Git commit:        ${c.GitCommit}`,
    ` OS/Arch:           ${c.Os}/${c.Arch}`,
    ` Context:           ${c.Context}`,
    '',
  ].join('\n');
}

function serverText(s: Record<string, unknown>): string {
  const platform = (s.Platform as { Name?: string } | undefined)?.Name ?? '';
  const lines = [`Server:${platform ? ` ${platform}` : ''}`];
  for (const comp of (s.Components as Array<{ Name: string; Version: string; Details?: Record<string, string> }>) ?? []) {
    lines.push(` ${comp.Name}:`);
    lines.push(`  Version:          ${comp.Version}`);
    if (comp.Name === 'Engine') {
      lines.push(`  API version:      ${s.ApiVersion} (minimum version ${s.MinAPIVersion})`);
      lines.push(`  Go version:       ${s.GoVersion}`);
      lines.push(`  Git commit:       ${s.GitCommit}`);
      lines.push(`  Built:            ${s.BuildTime || 'unknown'}`);
      lines.push(`  OS/Arch:          ${s.Os}/${s.Arch}`);
      lines.push(`  Experimental:     ${comp.Details?.Experimental ?? 'false'}`);
    } else if (comp.Details?.GitCommit) {
      lines.push(`  GitCommit:        ${comp.Details.GitCommit}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
