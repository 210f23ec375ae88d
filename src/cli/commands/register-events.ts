// Registers the events commands (issue 3).
import type { CommandRegistry } from '../command.js';
import { eventsCommand } from './system/events.js';

export function registerEvents(r: CommandRegistry): void {
  // `docker events` and `docker system events` (listed under Commands, not Common Commands).
  r.add(eventsCommand, { group: 'system', topLevel: true });
}
