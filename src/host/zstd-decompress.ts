// zstd-compressed layers: Node 20 has no zstd, so `zstd -d` (Debian's zstd) decompresses them in a
// child process. Only used for layers whose bytes start with zstd's magic.
import { spawn } from 'node:child_process';
import { PassThrough, type Readable } from 'node:stream';

/** A stream of the decompressed bytes of `input`; fails with zstd's message if the data is bad. */
export function zstdDecompress(input: Readable): Readable {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  const child = spawn('zstd', ['-d', '-c', '-q'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let failed = false;
  const fail = (err: Error) => {
    if (failed) return;
    failed = true;
    child.kill('SIGKILL');
    out.destroy(err);
  };
  child.on('error', (err: NodeJS.ErrnoException) =>
    fail(err.code === 'ENOENT' ? new Error('zstd-compressed layer: the zstd program is not installed (apt-get install zstd)') : err),
  );
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  input.on('error', (err) => fail(err));
  child.stdin.on('error', () => {}); // EPIPE when zstd exits early; its exit status tells why
  input.pipe(child.stdin);
  child.stdout.pipe(out, { end: false });
  let stdoutDone = false;
  let exit: number | null | undefined;
  const finish = () => {
    if (!stdoutDone || exit === undefined || failed) return;
    if (exit === 0) out.end();
    else fail(new Error(`zstd: ${stderr.trim() || `exit status ${exit}`}`));
  };
  child.stdout.on('end', () => {
    stdoutDone = true;
    finish();
  });
  child.on('exit', (code) => {
    exit = code;
    finish();
  });
  out.on('close', () => {
    if (exit === undefined) child.kill('SIGKILL');
  });
  return out;
}
