// Registers the ops commands (issue 3).
import type { CommandRegistry } from '../command.js';

export function registerOps(r: CommandRegistry): void {
  void r;
}
