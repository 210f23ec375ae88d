// berth: the CLI entry point.
import { connect } from '../cli/connect.js';
import { main } from '../cli/main.js';
import { buildRegistry } from '../cli/registry.js';

const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
void main(process.argv.slice(2), io, buildRegistry(), {
  createClient: (globals, env) => connect(globals, env, process.stderr),
  commit: 'berth',
}).then((code) => {
  // Exit once output is flushed; keep-alive sockets must not hold the process.
  process.stdout.write('', () => process.exit(code));
});
