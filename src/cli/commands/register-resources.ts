// Registers the resources commands (issue 3).
import type { CommandRegistry } from '../command.js';

export function registerResources(r: CommandRegistry): void {
  void r;
}
