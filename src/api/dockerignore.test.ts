import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFilesToRemove, cleanPath, isExcluded, keepBuildFiles, PatternMatcher, readDockerignore } from './dockerignore.js';

test('readDockerignore: comments, blanks, leading / and ./, exceptions, BOM, CRLF', () => {
  const text = '\ufeff# comment\n\n  *.log  \r\n/abs/path\n./rel/dir/\n! keep.log\n!/abs/keep\n  # not a comment\na/../b\n';
  assert.deepEqual(readDockerignore(text), ['*.log', 'abs/path', 'rel/dir', '!keep.log', '!abs/keep', '# not a comment', 'b']);
  assert.deepEqual(readDockerignore('/\n!\n'), ['/', '!']);
});

test('cleanPath is Go path.Clean', () => {
  const cases: [string, string][] = [
    ['', '.'], ['.', '.'], ['a/', 'a'], ['./a', 'a'], ['a//b', 'a/b'], ['a/./b', 'a/b'], ['a/../b', 'b'],
    ['../a', '../a'], ['/../a', '/a'], ['/', '/'], ['a/b/../../..', '..'],
  ];
  for (const [input, want] of cases) assert.equal(cleanPath(input), want, input);
});

// [patterns, path, excluded?] — Docker's documented examples and patternmatcher's own cases.
const CASES: [string[], string, boolean][] = [
  [['*/temp*'], 'somedir/temporary.txt', true],
  [['*/temp*'], 'somedir/temp', true],
  [['*/temp*'], 'temp', false],
  [['*/*/temp*'], 'somedir/subdir/temporary.txt', true],
  [['*/*/temp*'], 'somedir/temporary.txt', false],
  [['temp?'], 'tempa', true],
  [['temp?'], 'temp', false],
  [['temp?'], 'tempab', false],
  [['**/*.go'], 'main.go', true],
  [['**/*.go'], 'a/b/c/main.go', true],
  [['**/*.go'], 'main.go.txt', false],
  [['**'], 'anything/at/all', true],
  [['**/foo'], 'foo', true],
  [['**/foo'], 'a/b/foo', true],
  [['**/foo'], 'a/b/foobar', false],
  [['foo/**'], 'foo/bar', true],
  [['foo/**'], 'foobar', false],
  [['foo/**/bar'], 'foo/bar', true],
  [['foo/**/bar'], 'foo/x/y/bar', true],
  [['dir'], 'dir/file.txt', true],
  [['dir'], 'dir/sub/file.txt', true],
  [['dir'], 'dirfile', false],
  [['*.md', '!README.md'], 'README.md', false],
  [['*.md', '!README.md'], 'CHANGES.md', true],
  [['*.md', '!README*.md', 'README-secret.md'], 'README-secret.md', true],
  [['*.md', '!README*.md', 'README-secret.md'], 'README-public.md', false],
  [['*.md', 'README-secret.md', '!README*.md'], 'README-secret.md', false],
  [['docs', '!docs/keep.md'], 'docs/keep.md', false],
  [['docs', '!docs/keep.md'], 'docs/other.md', true],
  [['a/b/c'], 'a/b/c/d', true],
  [['a/b/c'], 'a/b', false],
  [['[abc].txt'], 'b.txt', true],
  [['[abc].txt'], 'd.txt', false],
  [['file.(x)'], 'file.(x)', true],
  [['a+b'], 'a+b', true],
  [['a+b'], 'aab', false],
  [[String.raw`\*star`], '*star', true],
  [[String.raw`\*star`], 'xstar', false],
  [['./dot/leading'], 'dot/leading', true],
  [['/rooted'], 'rooted', false], // not cleaned here: readDockerignore strips the "/"
  [['!only-exception'], 'only-exception', false],
  [['*'], '.dockerignore', true],
  [['*', '!.dockerignore'], '.dockerignore', false],
];

test('matches: last matching pattern wins, parents count, exceptions re-include', () => {
  for (const [patterns, file, want] of CASES) {
    assert.equal(new PatternMatcher(patterns).matches(file), want, `${JSON.stringify(patterns)} ${file}`);
  }
  assert.ok(CASES.length >= 30);
});

test('bad patterns are refused as Docker does', () => {
  assert.throws(() => new PatternMatcher(['!']), /^Error: illegal exclusion pattern: "!"$/);
  assert.throws(() => new PatternMatcher(['[']), /syntax error in pattern/);
  assert.throws(() => new PatternMatcher(['a[b-a]']), /syntax error in pattern/);
  assert.throws(() => new PatternMatcher(['trailing\\']), /syntax error in pattern/);
  assert.doesNotThrow(() => new PatternMatcher(['[a-c]', '', '   ']));
});

test('isExcluded never excludes the context root', () => {
  assert.equal(isExcluded('.', ['*']), false);
  assert.equal(isExcluded('./a/../b', ['b']), true);
});

test('canSkipDir: only when no exception could re-include something below', () => {
  const pm = new PatternMatcher(['node_modules', 'build', '!build/keep.txt', 'vendor', '!**/LICENSE']);
  assert.equal(pm.canSkipDir('node_modules'), true);
  assert.equal(pm.canSkipDir('build'), false); // !build/keep.txt starts with build/
  assert.equal(pm.canSkipDir('src'), false); // not excluded at all
  // Docker does not look into excluded dirs for wildcard exceptions: vendor/LICENSE stays out.
  assert.equal(pm.canSkipDir('vendor'), true);
  assert.equal(new PatternMatcher(['a/b']).canSkipDir('a'), false);
  assert.equal(new PatternMatcher(['*', '!a/b/c']).canSkipDir('a'), false);
  assert.equal(new PatternMatcher(['*', '!a/b/c']).canSkipDir('x'), true);
});

test('the Dockerfile and .dockerignore always reach the daemon', () => {
  assert.deepEqual(keepBuildFiles(['*'], 'Dockerfile'), ['*', '!.dockerignore', '!Dockerfile']);
  assert.deepEqual(keepBuildFiles(['*.tmp'], 'Dockerfile'), ['*.tmp']);
  assert.deepEqual(keepBuildFiles(['docker'], 'docker/Dockerfile.dev'), ['docker', '!docker/Dockerfile.dev']);
  assert.deepEqual(keepBuildFiles(['*'], 'Dockerfile', true), ['*', '!.dockerignore']);
  assert.deepEqual(buildFilesToRemove(['.dockerignore', 'Dockerfile'], 'Dockerfile'), ['.dockerignore', 'Dockerfile']);
  assert.deepEqual(buildFilesToRemove(['*.tmp'], 'Dockerfile'), []);
});
