import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containsWildcards, globMatch } from './glob.js';

test('globMatch is Go\'s filepath.Match: * and ? stop at "/", classes, negation, escapes', () => {
  const yes: Array<[string, string]> = [
    ['*.txt', 'a.txt'], ['*', 'dir'], ['a?c', 'abc'], ['[a-c]x', 'bx'], ['[^a-c]x', 'dx'], ['dir/*', 'dir/f'],
    ['\\*', '*'], ['*.[ch]', 'x.h'], ['[]]', ']'], ['a*b*c', 'axxbyyc'],
  ];
  const no: Array<[string, string]> = [
    ['*.txt', 'dir/a.txt'], ['*', 'dir/f'], ['a?c', 'a/c'], ['[a-c]x', 'dx'], ['[^a-c]x', 'bx'], ['[^a]', '/'], ['\\*', 'a'],
  ];
  for (const [p, n] of yes) assert.equal(globMatch(p, n), true, `${p} ~ ${n}`);
  for (const [p, n] of no) assert.equal(globMatch(p, n), false, `${p} !~ ${n}`);
  // Malformed patterns match nothing.
  assert.equal(globMatch('[a-', 'a'), false);
  assert.equal(globMatch('x\\', 'x'), false);
});

test('containsWildcards: *, ? and [ unless escaped', () => {
  assert.equal(containsWildcards('a*'), true);
  assert.equal(containsWildcards('a?'), true);
  assert.equal(containsWildcards('[ab]'), true);
  assert.equal(containsWildcards('plain/name.txt'), false);
  assert.equal(containsWildcards('esc\\*aped'), false);
});
