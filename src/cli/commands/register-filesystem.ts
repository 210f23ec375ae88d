// Registers the filesystem commands (issue 3).
import type { CommandRegistry } from '../command.js';

export function registerFilesystem(r: CommandRegistry): void {
  void r;
}
