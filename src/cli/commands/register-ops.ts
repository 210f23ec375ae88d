// Registers the ops commands (issue 3): pause, unpause, top, stats.
import type { CommandRegistry } from '../command.js';
import { pauseCommand } from './container/pause.js';
import { statsCommand } from './container/stats.js';
import { topCommand } from './container/top.js';
import { unpauseCommand } from './container/unpause.js';

export function registerOps(r: CommandRegistry): void {
  for (const cmd of [pauseCommand, unpauseCommand, topCommand, statsCommand]) r.add(cmd, { group: 'container', topLevel: true });
}
