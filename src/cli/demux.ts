// Copies a container's output stream to our stdout/stderr.
import type { Readable } from 'node:stream';
import { FrameDecoder, STDERR, SYSTEMERR } from '../api/stdcopy.js';

export async function copyOutput(
  stream: Readable,
  tty: boolean,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<void> {
  const decoder = new FrameDecoder();
  for await (const chunk of stream) {
    if (tty) {
      stdout.write(chunk as Buffer);
      continue;
    }
    for (const f of decoder.push(chunk as Buffer)) {
      if (f.stream === SYSTEMERR) throw new Error(f.data.toString('utf8'));
      (f.stream === STDERR ? stderr : stdout).write(f.data);
    }
  }
}
