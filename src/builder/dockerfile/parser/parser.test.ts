import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWords } from './line-parsers.js';
import { parseDockerfileText } from './parser.js';
import { extractBuilderFlags, splitCommand } from './split-command.js';
import { DockerfileSyntaxError } from './syntax-error.js';

test('splitCommand takes --flags (quotes removed) until the first other word or "--"', () => {
  assert.deepEqual(splitCommand('  COPY --from=a --chown="u g" src dst  '), { cmd: 'COPY', flags: ['--from=a', '--chown=u g'], args: 'src dst' });
  assert.deepEqual(splitCommand('RUN -- --not-a-flag'), { cmd: 'RUN', flags: [], args: '--not-a-flag' });
  assert.deepEqual(splitCommand('RUN --link'), { cmd: 'RUN', flags: ['--link'], args: '' });
  assert.deepEqual(splitCommand('RUN'), { cmd: 'RUN', flags: [], args: '' });
  assert.deepEqual(extractBuilderFlags('--a=\\x --b c'), ['c', ['--a=x', '--b']]);
});

test('parseWords keeps quotes and escapes for later expansion', () => {
  assert.deepEqual(parseWords('a=1 b="x y" c=\'p q\' d=e\\ f', '\\'), ['a=1', 'b="x y"', "c='p q'", 'd=e\\ f']);
  assert.deepEqual(parseWords('x="" y=\'\'', '\\'), ['x=""', "y=''"]);
  assert.deepEqual(parseWords('a`"b c', '`'), ['a`"b', 'c']);
  assert.deepEqual(parseWords('trailing\\', '\\'), ['trailing']);
});

test('line numbers span continuations and heredoc bodies', () => {
  const r = parseDockerfileText('FROM x\n\nRUN a \\\n  b\nCOPY <<EOF /f\nbody\nEOF\nCMD c\n');
  assert.deepEqual(r.nodes.map((n) => [n.value, n.startLine, n.endLine]), [
    ['FROM', 1, 1],
    ['RUN', 3, 4],
    ['COPY', 5, 7],
    ['CMD', 8, 8],
  ]);
});

test('a line of 64 KiB stops the parse as bufio.Scanner does', () => {
  assert.throws(
    () => parseDockerfileText('FROM x\nRUN ' + 'a'.repeat(70_000) + '\n'),
    (err: unknown) => err instanceof DockerfileSyntaxError && err.message === 'dockerfile line greater than max allowed size of 65535',
  );
  assert.doesNotThrow(() => parseDockerfileText('FROM x\nRUN ' + 'a'.repeat(60_000) + '\n'));
});

test('directive errors point at their line', () => {
  assert.throws(
    () => parseDockerfileText('# syntax=x\n# syntax=y\nFROM a\n'),
    (err: unknown) => err instanceof DockerfileSyntaxError && err.startLine === 2 && /only one syntax parser directive/.test(err.message),
  );
});
