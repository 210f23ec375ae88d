// Formats Node has no decompressor for (bzip2, xz, zstd: ADD's archives, zstd layers on pull) go through
// Debian's command-line tools, as moby's cmdStream does: input → the tool's stdin, its stdout → the returned
// stream, with back-pressure both ways (pipe). So does gzip, for big layers, when igzip is installed.
// Only host/ spawns processes, so others reach the tools here.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { accessSync, closeSync, constants as fsc } from 'node:fs';
import { Socket } from 'node:net';
import path from 'node:path';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { native } from './native.js';

/** igzip (Intel ISA-L) inflates gzip about 1.6× as fast as zlib, in a process of its own. */
export type DecompressTool = 'bzip2' | 'xz' | 'zstd' | 'igzip';

/** The Debian package that ships each tool, for the "not installed" message. */
const PACKAGE: Record<DecompressTool, string> = { bzip2: 'bzip2', xz: 'xz-utils', zstd: 'zstd', igzip: 'isal' };

/** bzip2's -q silences its error messages too, so it runs without. */
const ARGS: Record<DecompressTool, string[]> = {
  bzip2: ['-d', '-c'],
  xz: ['-d', '-c', '-q'],
  zstd: ['-d', '-c', '-q'],
  igzip: ['-d', '-c'],
};

/** The tool writes into a pipe this big: with the default 64 KiB it stops every 64 KiB (~1.6x slower). */
const OUTPUT_PIPE = 1 << 20;

const found = new Map<DecompressTool, boolean>();

/** Whether `tool` is on the PATH (looked up once). */
export function hasDecompressTool(tool: DecompressTool): boolean {
  let has = found.get(tool);
  if (has === undefined) {
    has = (process.env.PATH ?? '/usr/bin:/bin').split(':').some((dir) => {
      try {
        accessSync(path.join(dir || '.', tool), fsc.X_OK);
        return true;
      } catch {
        return false;
      }
    });
    found.set(tool, has);
  }
  return has;
}

/**
 * The decompressed bytes of `input` (which this stream then owns: it is destroyed when the output
 * closes or fails). A bad input fails the stream with the tool's first line of complaint.
 */
export function decompressWith(tool: DecompressTool, input: Readable): Readable {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  const [readFd, writeFd] = native().bigPipe(OUTPUT_PIPE);
  let child: ChildProcessByStdio<Writable, null, Readable>;
  try {
    child = spawn(tool, ARGS[tool], { stdio: ['pipe', writeFd, 'pipe'] }) as ChildProcessByStdio<Writable, null, Readable>;
  } catch (err) {
    closeSync(readFd);
    throw err;
  } finally {
    closeSync(writeFd); // the child has its copy
  }
  const stdout = new Socket({ fd: readFd, readable: true, writable: false });
  let stderr = '';
  let failed = false;
  const fail = (err: Error) => {
    if (failed) return;
    failed = true;
    child.kill('SIGKILL');
    input.destroy();
    out.destroy(err);
  };
  child.on('error', (err: NodeJS.ErrnoException) =>
    fail(err.code === 'ENOENT' ? new Error(`the ${tool} program is not installed (apt-get install ${PACKAGE[tool]})`) : err),
  );
  child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(0, 2000)));
  input.on('error', (err) => fail(err));
  child.stdin.on('error', () => {}); // EPIPE when the tool exits early; its exit status tells why
  input.pipe(child.stdin);
  stdout.pipe(out, { end: false });
  let stdoutDone = false;
  let exit: number | null | undefined;
  const finish = () => {
    if (!stdoutDone || exit === undefined || failed) return;
    if (exit === 0) out.end();
    else fail(new Error(complaint(tool, stderr) || `${tool}: exit status ${exit ?? 'killed'}`));
  };
  stdout.on('end', () => {
    stdoutDone = true;
    finish();
  });
  child.on('exit', (code) => {
    exit = code;
    finish();
  });
  // A reader that stops early (reading just a header) must not leave the tool or the input behind.
  out.on('close', () => {
    if (exit === undefined) child.kill('SIGKILL');
    input.destroy();
    stdout.destroy();
  });
  return out;
}

/** igzip names stdin "(null)": its two complaints, in the words Go's gzip reader (so Docker) uses. */
const IGZIP_WORDING: Array<[RegExp, string]> = [
  [/does not contain a complete gzip file/, 'igzip: unexpected EOF'],
  [/Error encountered while decompressing/, 'igzip: invalid compressed data'],
];

/** The first line of stderr (bzip2 explains itself over several), prefixed with the tool's name. */
function complaint(tool: DecompressTool, stderr: string): string {
  let line = stderr.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
  if (tool === 'igzip') line = IGZIP_WORDING.find(([re]) => re.test(line))?.[1] ?? line;
  return line === '' || line.startsWith(`${tool}:`) ? line : `${tool}: ${line}`;
}
