// docker's "Are you sure you want to continue? [y/N]" prompt.
import type { CliIO } from './command.js';

export async function confirm(io: CliIO, warning: string): Promise<boolean> {
  io.stdout.write(`${warning}\nAre you sure you want to continue? [y/N] `);
  const answer = await new Promise<string>((resolve) => {
    let buf = '';
    const onData = (d: Buffer | string) => {
      buf += d.toString();
      if (buf.includes('\n')) done();
    };
    const done = () => {
      io.stdin.off('data', onData);
      io.stdin.off('end', done);
      (io.stdin as NodeJS.ReadStream).pause?.();
      resolve(buf.split('\n')[0]);
    };
    io.stdin.on('data', onData);
    io.stdin.on('end', done);
  });
  const ok = /^y(es)?$/i.test(answer.trim());
  if (!ok) io.stdout.write('\n');
  return ok;
}
