// Registers the filesystem commands (issue 3): diff, export, cp, commit.
import type { CommandRegistry } from '../command.js';
import { commitCommand } from './container/commit.js';
import { cpCommand } from './container/cp.js';
import { diffCommand } from './container/diff.js';
import { exportCommand } from './container/export.js';

export function registerFilesystem(r: CommandRegistry): void {
  for (const cmd of [commitCommand, cpCommand, diffCommand, exportCommand]) r.add(cmd, { group: 'container', topLevel: true });
}
