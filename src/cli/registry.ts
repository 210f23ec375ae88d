// Every berth command, registered where docker has it.
import { CommandRegistry } from './command.js';
import { createCommand } from './commands/container/create.js';
import { killCommand } from './commands/container/kill.js';
import { logsCommand } from './commands/container/logs.js';
import { containerPruneCommand } from './commands/container/prune.js';
import { psCommand } from './commands/container/ps.js';
import { renameCommand } from './commands/container/rename.js';
import { restartCommand } from './commands/container/restart.js';
import { rmCommand } from './commands/container/rm.js';
import { runCommand } from './commands/container/run.js';
import { startCommand } from './commands/container/start.js';
import { stopCommand } from './commands/container/stop.js';
import { waitCommand } from './commands/container/wait.js';
import { historyCommand } from './commands/image/history.js';
import { importCommand } from './commands/image/import.js';
import { imagesCommand } from './commands/image/ls.js';
import { imagePruneCommand } from './commands/image/prune.js';
import { rmiCommand } from './commands/image/rm.js';
import { tagCommand } from './commands/image/tag.js';
import { containerInspectCommand, imageInspectCommand, inspectCommand } from './commands/system/inspect.js';
import { infoCommand } from './commands/system/info.js';
import { versionCommand } from './commands/system/version.js';
import { dfCommand } from './commands/system/df.js';
import { systemPruneCommand } from './commands/system/prune.js';
import { registerArchive } from './commands/register-archive.js';
import { registerDistribution } from './commands/register-distribution.js';
import { registerBuild } from './commands/register-build.js';
import { registerEvents } from './commands/register-events.js';
import { registerExec } from './commands/register-exec.js';
import { registerFilesystem } from './commands/register-filesystem.js';
import { registerInteractive } from './commands/register-interactive.js';
import { registerOps } from './commands/register-ops.js';
import { registerResources } from './commands/register-resources.js';

export function buildRegistry(): CommandRegistry {
  const r = new CommandRegistry();
  r.add(runCommand, { group: 'container', topLevel: true, category: 'common', order: 1 });
  r.add(psCommand, { group: 'container', topLevel: 'ps', category: 'common', order: 3 });
  r.add(imagesCommand, { group: 'image', topLevel: 'images', category: 'common', order: 4 });
  r.add(versionCommand, { topLevel: true, category: 'common', order: 20 });
  r.add(infoCommand, { group: 'system', topLevel: true, category: 'common', order: 21 });
  for (const cmd of [createCommand, startCommand, stopCommand, restartCommand, killCommand, rmCommand, waitCommand, renameCommand, logsCommand]) {
    r.add(cmd, { group: 'container', topLevel: true });
  }
  r.add(containerInspectCommand, { group: 'container' });
  r.add(containerPruneCommand, { group: 'container' });
  r.add(importCommand, { group: 'image', topLevel: true });
  r.add(tagCommand, { group: 'image', topLevel: true });
  r.add(rmiCommand, { group: 'image', topLevel: 'rmi' });
  r.add(historyCommand, { group: 'image', topLevel: true });
  r.add(imageInspectCommand, { group: 'image' });
  r.add(imagePruneCommand, { group: 'image' });
  r.add(inspectCommand, { topLevel: true });
  r.add(dfCommand, { group: 'system' });
  r.add(systemPruneCommand, { group: 'system' });
  registerEvents(r);
  registerArchive(r);
  registerDistribution(r);
  registerBuild(r);
  registerOps(r);
  registerFilesystem(r);
  registerResources(r);
  registerInteractive(r);
  registerExec(r);
  return r;
}
