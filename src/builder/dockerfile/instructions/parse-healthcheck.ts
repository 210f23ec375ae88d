// HEALTHCHECK NONE | [--interval --timeout --start-period --start-interval --retries] CMD command.
import { goQuote } from '../shell/chars.js';
import type { Flag } from './bflags.js';
import type { HealthcheckCommand, HealthConfig } from './commands.js';
import { parseGoDuration } from '../../../api/go-strconv.js';
import { baseOf, errAtLeastOneArgument, handleJSONArgs, type ParseRequest } from './request.js';

const MINIMUM_DURATION = 1_000_000; // 1ms in ns

/** A duration flag: "" and "0s" mean "use the default"; anything else must be at least 1ms. */
function parseOptInterval(f: Flag): number {
  if (f.value === '') return 0;
  const d = parseGoDuration(f.value);
  if (d === 0) return 0;
  if (d < MINIMUM_DURATION) throw new Error(`Interval ${goQuote(f.name)} cannot be less than 1ms`);
  return d;
}

/** Go's strconv.ParseInt(s, 10, 32) with its error text. */
function parseInt32(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: invalid syntax`);
  const n = Number(s);
  if (n > 2147483647 || n < -2147483648) throw new Error(`strconv.ParseInt: parsing ${goQuote(s)}: value out of range`);
  return n;
}

export function parseHealthcheck(req: ParseRequest): HealthcheckCommand {
  if (req.args.length === 0) throw errAtLeastOneArgument('HEALTHCHECK');
  let typ = req.args[0].toUpperCase();
  const args = req.args.slice(1);
  if (typ === 'NONE') {
    if (args.length !== 0) throw new Error('HEALTHCHECK NONE takes no arguments');
    return { kind: 'healthcheck', ...baseOf(req), health: { Test: ['NONE'] } };
  }
  const interval = req.flags.addString('interval', '');
  const timeout = req.flags.addString('timeout', '');
  const startPeriod = req.flags.addString('start-period', '');
  const startInterval = req.flags.addString('start-interval', '');
  const retries = req.flags.addString('retries', '');
  req.flags.parse();

  if (typ !== 'CMD') throw new Error(`Unknown type ${goQuote(typ)} in HEALTHCHECK (try CMD)`);
  const cmd = handleJSONArgs(args, req.json);
  if (cmd.length === 0) throw new Error('Missing command after HEALTHCHECK CMD');
  if (!req.json) typ = 'CMD-SHELL';

  const health: HealthConfig = { Test: [typ, ...cmd] };
  const put = (key: 'Interval' | 'Timeout' | 'StartPeriod' | 'StartInterval', v: number) => {
    if (v !== 0) health[key] = v;
  };
  put('Interval', parseOptInterval(interval));
  put('Timeout', parseOptInterval(timeout));
  put('StartPeriod', parseOptInterval(startPeriod));
  put('StartInterval', parseOptInterval(startInterval));
  if (retries.value !== '') {
    const n = parseInt32(retries.value);
    if (n < 0) throw new Error(`--retries cannot be negative (${n})`);
    if (n !== 0) health.Retries = n;
  }
  return { kind: 'healthcheck', ...baseOf(req), health };
}
