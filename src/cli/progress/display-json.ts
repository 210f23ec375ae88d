// jsonmessage.DisplayJSONMessagesStream, as the docker CLI renders pull/push/load progress: on a
// terminal one line per layer ID, redrawn in place (cursor up, erase, rewrite, cursor down); otherwise
// plain lines, leaving out the byte-progress updates. An error message ends the stream as an error.
import type { JsonMessage } from '../../api/types.js';
import { renderProgress, type ProgressDetail } from './json-progress.js';

export interface DisplayOptions {
  terminal: boolean;
  /** Terminal columns (the bar is drawn only above 110). */
  width?: number;
  /** Messages carrying `aux` (push's final digest), which are not displayed. */
  onAux?(m: JsonMessage): void;
}

/** A failure reported in the stream ("errorDetail"); its message is printed as is. */
export class JsonStreamError extends Error {
  override name = 'JsonStreamError';
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
  }
}

const ESC = '\x1b[';
const up = (n: number) => (n > 0 ? `${ESC}${n}A` : '');
const down = (n: number) => (n > 0 ? `${ESC}${n}B` : '');
const CLEAR_LINE = `${ESC}2K`;

export async function displayJsonMessages(
  messages: AsyncIterable<JsonMessage>,
  out: NodeJS.WritableStream,
  opts: DisplayOptions,
): Promise<void> {
  const width = opts.width ?? 200;
  let ids = new Map<string, number>();
  for await (const jm of messages) {
    if (jm.aux !== undefined && jm.aux !== null) {
      opts.onAux?.(jm);
      continue;
    }
    const hasProgress = jm.progressDetail !== undefined && jm.progressDetail !== null;
    let diff = 0;
    if (jm.id && (hasProgress || jm.progress)) {
      let line = ids.get(jm.id);
      if (line === undefined) {
        line = ids.size;
        ids.set(jm.id, line);
        if (opts.terminal) out.write('\n');
      }
      diff = ids.size - line;
      if (opts.terminal) out.write(up(diff));
    } else {
      // Anything else ends the block of layer lines (pull -a goes on with a fresh block).
      ids = new Map();
    }
    const err = display(jm, out, opts.terminal, width, hasProgress);
    if (jm.id && opts.terminal) out.write(down(diff));
    if (err) throw err;
  }
}

function display(jm: JsonMessage, out: NodeJS.WritableStream, terminal: boolean, width: number, hasProgress: boolean): Error | undefined {
  if (jm.errorDetail || jm.error) {
    const code = jm.errorDetail?.code;
    if (code === 401) return new JsonStreamError('authentication is required', 401);
    return new JsonStreamError(jm.errorDetail?.message ?? jm.error ?? '', code);
  }
  const bar = hasProgress ? renderProgress(jm.progressDetail as ProgressDetail, width) : '';
  let endl = '';
  if (terminal && !jm.stream && hasProgress) {
    out.write(CLEAR_LINE);
    endl = '\r';
    out.write(endl);
  } else if (hasProgress && bar !== '') {
    return undefined; // no progress bars off a terminal
  }
  let s = '';
  if (jm.id) s += `${jm.id}: `;
  if (hasProgress && terminal) s += `${jm.status ?? ''} ${bar}${endl}`;
  else if (jm.progress) s += `${jm.status ?? ''} ${jm.progress}${endl}`;
  else if (jm.stream) s += `${jm.stream}${endl}`;
  else s += `${jm.status ?? ''}${endl}\n`;
  out.write(s);
  return undefined;
}
