// Resource flags of run/create (--memory, --cpus, ...) and how they enter the request (issue 3).
import type { CreateRequest } from '../../../api/types.js';
import type { FlagDef, FlagValues } from '../../flags.js';

export const RESOURCE_FLAGS: FlagDef[] = [];

export function applyResourceFlags(req: CreateRequest, opts: FlagValues, changed: ReadonlySet<string>): void {
  void req;
  void opts;
  void changed;
}
