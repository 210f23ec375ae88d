// Registers the events commands (issue 3).
import type { CommandRegistry } from '../command.js';

export function registerEvents(r: CommandRegistry): void {
  void r;
}
