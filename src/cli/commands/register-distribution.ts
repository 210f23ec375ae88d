// Registers the registry commands (issue 5): pull, push, search, login, logout — where docker has them.
import type { CommandRegistry } from '../command.js';
import { pullCommand } from './image/pull.js';
import { pushCommand } from './image/push.js';
import { searchCommand } from './image/search.js';
import { loginCommand } from './registry/login.js';
import { logoutCommand } from './registry/logout.js';

export function registerDistribution(r: CommandRegistry): void {
  // Docker's "Common Commands" order: run, exec, ps, build, pull, push, images, login, logout, search, version, info.
  r.add(pullCommand, { group: 'image', topLevel: true, category: 'common', order: 3.7 });
  r.add(pushCommand, { group: 'image', topLevel: true, category: 'common', order: 3.8 });
  r.add(loginCommand, { topLevel: true, category: 'common', order: 5 });
  r.add(logoutCommand, { topLevel: true, category: 'common', order: 6 });
  r.add(searchCommand, { topLevel: true, category: 'common', order: 7 });
}
