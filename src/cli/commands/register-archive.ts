// Registers the image archive commands (issue 5): save and load.
import type { CommandRegistry } from '../command.js';
import { loadCommand } from './image/load.js';
import { saveCommand } from './image/save.js';

export function registerArchive(r: CommandRegistry): void {
  for (const cmd of [loadCommand, saveCommand]) r.add(cmd, { group: 'image', topLevel: true });
}
