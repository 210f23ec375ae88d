// Registers the builder's commands (issue 4) where docker has them: `build` (also `image build` and
// `builder build`) and `builder prune`.
import type { CommandRegistry } from '../command.js';
import { builderPruneCommand } from './builder/prune.js';
import { buildCommand } from './image/build.js';

export function registerBuild(r: CommandRegistry): void {
  r.add(buildCommand, { group: 'image', topLevel: true, category: 'common', order: 3.5 });
  r.add(buildCommand, { group: 'builder' });
  r.add(builderPruneCommand, { group: 'builder' });
}
