// Registers exec (issue 3), where docker has it: `berth exec` and `berth container exec`.
import type { CommandRegistry } from '../command.js';
import { execCommand } from './container/exec.js';

export function registerExec(r: CommandRegistry): void {
  r.add(execCommand, { group: 'container', topLevel: true, category: 'common', order: 2 });
}
