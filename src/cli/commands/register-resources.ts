// Registers the resources commands (issue 3).
import type { CommandRegistry } from '../command.js';
import { updateCommand } from './container/update.js';

export function registerResources(r: CommandRegistry): void {
  r.add(updateCommand, { group: 'container', topLevel: true });
}
