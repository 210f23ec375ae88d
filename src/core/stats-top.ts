// `top`: ps arguments and output, as Docker's daemon/top_unix.go handles them. Pure.
import { invalidArgument } from '../errdefs/errors.js';

export interface TopResult {
  Titles: string[];
  Processes: string[][];
}

/** Refuses "-o X=PID…" style renames of the PID column other than pid=. */
export function validatePsArgs(psArgs: string): void {
  const re = /\s+([^\s]*)=\s*(PID[^\s]*)/g;
  for (const m of psArgs.matchAll(re)) {
    if (m[1] !== 'pid') throw invalidArgument(`specifying "${m[1]}=${m[2]}" is not allowed`);
  }
}

/** "-q1,2,3": ps's quick pid selection. */
export function psPidsArg(pids: number[]): string {
  return `-q${pids.join(',')}`;
}

/** Go's strings.Fields over ASCII whitespace only. */
const fieldsAscii = (s: string): string[] => s.split(/[ \t\n\v\f\r]+/).filter(Boolean);

/** Keeps the rows whose PID is one of `pids` (and their thread rows, PID "-"). */
export function parsePsOutput(output: string, pids: number[]): TopResult {
  const lines = output.split('\n');
  const titles = fieldsAscii(lines[0] ?? '');
  const pidIndex = titles.indexOf('PID');
  if (pidIndex === -1) throw new Error("Couldn't find PID field in ps output");
  const wanted = new Set(pids);
  const processes: string[][] = [];
  const append = (fields: string[]) => {
    const row = fields.slice(0, titles.length - 1);
    row.push(fields.slice(titles.length - 1).join(' '));
    processes.push(row);
  };
  let previousContained = false;
  for (const line of lines.slice(1)) {
    if (line.length === 0) continue;
    const fields = fieldsAscii(line);
    if (fields[pidIndex] === '-') {
      if (previousContained) append(fields);
      continue;
    }
    const p = Number(fields[pidIndex]);
    if (!Number.isInteger(p)) throw new Error(`Unexpected pid '${fields[pidIndex]}': strconv.Atoi: parsing ${JSON.stringify(fields[pidIndex] ?? '')}: invalid syntax`);
    previousContained = wanted.has(p);
    if (previousContained) append(fields);
  }
  return { Titles: titles, Processes: processes };
}
