// berth: the CLI entry point.
import { connect } from '../cli/connect.js';
import { main } from '../cli/main.js';
import { buildRegistry } from '../cli/registry.js';

// A reader that went away (`berth logs c | head`) ends the command as SIGPIPE ends the docker CLI:
// quietly, with the shell's status for it (128 + 13), not with an unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(141);
    throw err;
  });
}

const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
void main(process.argv.slice(2), io, buildRegistry(), {
  createClient: (globals, env) => connect(globals, env, process.stderr),
  commit: 'berth',
}).then((code) => {
  // Exit once output is flushed; keep-alive sockets must not hold the process.
  process.stdout.write('', () => process.exit(code));
});
