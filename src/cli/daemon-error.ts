// How the CLI words failures, as the docker CLI does.
import { ApiError } from '../client/transport.js';
import { StatusError } from './command.js';

/** "Error response from daemon: <message>" for API errors; the message otherwise. */
export function describe(err: unknown): string {
  if (err instanceof ApiError) return `Error response from daemon: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/** For run/create/start: `berth: <error>` + the help hint, exit 125 (docker's cli.StatusError). */
export function runError(err: unknown, commandPath: string, status = 125): StatusError {
  const prog = commandPath.split(' ')[0];
  return new StatusError(`${prog}: ${describe(err)}\n\nRun '${commandPath} --help' for more information`, status);
}

/** Runs `fn` for each argument, printing errors as docker does, exit 1 if any failed. */
export async function forEachArg(
  args: string[],
  stderr: NodeJS.WritableStream,
  fn: (arg: string) => Promise<void>,
): Promise<number> {
  let failed = false;
  for (const arg of args) {
    try {
      await fn(arg);
    } catch (err) {
      failed = true;
      stderr.write(`${describe(err)}\n`);
    }
  }
  return failed ? 1 : 0;
}
