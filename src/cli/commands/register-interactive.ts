// Registers the interactive commands (issue 3): attach.
import type { CommandRegistry } from '../command.js';
import { attachCommand } from './container/attach.js';

export function registerInteractive(r: CommandRegistry): void {
  r.add(attachCommand, { group: 'container', topLevel: true });
}
