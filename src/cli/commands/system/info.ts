// berth info
import { bytesSize } from '../../../api/units.js';
import type { EngineClient } from '../../../client/client.js';
import { defineCommand, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import type { FlagValues } from '../../flags.js';
import { renderTemplate } from '../../format/go-template.js';

export const infoCommand = defineCommand({
  name: 'info',
  usage: 'info [OPTIONS]',
  short: 'Display system-wide information',
  args: { max: 0 },
  flags: [{ name: 'format', short: 'f', type: 'string', usage: 'Format output using a custom template' }],
  async run(ctx: CommandContext, opts: FlagValues) {
    let info: Record<string, unknown>;
    try {
      info = await (await ctx.getClient<EngineClient>()).info();
    } catch (err) {
      throw new Error(describe(err));
    }
    if (opts.format) {
      ctx.io.stdout.write(`${renderTemplate(opts.format as string, info)}\n`);
      return;
    }
    const i = info as Record<string, any>;
    const lines = [
      'Client:',
      ' Context:    default',
      ' Debug Mode: false',
      '',
      'Server:',
      ` Containers: ${i.Containers}`,
      `  Running: ${i.ContainersRunning}`,
      `  Paused: ${i.ContainersPaused}`,
      `  Stopped: ${i.ContainersStopped}`,
      ` Images: ${i.Images}`,
      ` Server Version: ${i.ServerVersion}`,
      ` Storage Driver: ${i.Driver}`,
      ...(i.DriverStatus ?? []).map(([k, v]: [string, string]) => `  ${k}: ${v}`),
      ` Logging Driver: ${i.LoggingDriver}`,
      ` Cgroup Driver: ${i.CgroupDriver}`,
      ` Cgroup Version: ${i.CgroupVersion}`,
      ` Runtimes: ${Object.keys(i.Runtimes ?? {}).join(' ')}`,
      ` Default Runtime: ${i.DefaultRuntime}`,
      ` Init Binary: ${i.InitBinary}`,
      ` Kernel Version: ${i.KernelVersion}`,
      ` Operating System: ${i.OperatingSystem}`,
      ` OSType: ${i.OSType}`,
      ` Architecture: ${i.Architecture}`,
      ` CPUs: ${i.NCPU}`,
      ` Total Memory: ${bytesSize(i.MemTotal)}`,
      ` Name: ${i.Name}`,
      ` ID: ${i.ID}`,
      ` Docker Root Dir: ${i.DockerRootDir}`,
      ` Debug Mode: ${i.Debug}`,
      ` Experimental: ${i.ExperimentalBuild}`,
      ` Live Restore Enabled: ${i.LiveRestoreEnabled}`,
      '',
    ];
    ctx.io.stdout.write(lines.join('\n'));
    for (const w of i.Warnings ?? []) ctx.io.stderr.write(`${w}\n`);
  },
});
