// Restart-policy and health-check flags of run/create and how they enter the request (issue 3).
import type { CreateRequest } from '../../../api/types.js';
import type { FlagDef, FlagValues } from '../../flags.js';

export const LIFECYCLE_FLAGS: FlagDef[] = [];

export function applyLifecycleFlags(req: CreateRequest, opts: FlagValues, changed: ReadonlySet<string>): void {
  void req;
  void opts;
  void changed;
}
