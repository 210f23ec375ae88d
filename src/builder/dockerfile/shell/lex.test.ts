import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envFromList, LexError, ShellLex } from './lex.js';

const ENV = envFromList(['PWD=/home', 'SHELL=bash', 'KOREAN=한국어', 'NULL=', 'P=a/b/c.tar.gz']);
const ERR = Symbol('error');

// [word, expected ProcessWord result or ERR], escape token "\".
const WORDS: [string, string | typeof ERR][] = [
  ['hello', 'hello'],
  [String.raw`he'll'o`, 'hello'],
  [String.raw`he'llo`, ERR],
  [String.raw`he\'llo`, "he'llo"],
  [String.raw`he\\'llo`, ERR],
  [String.raw`abc\tdef`, 'abctdef'],
  [String.raw`"abc\tdef"`, String.raw`abc\tdef`],
  [String.raw`"abc\\tdef"`, String.raw`abc\tdef`],
  [String.raw`'abc\tdef'`, String.raw`abc\tdef`],
  [String.raw`hello\ `.trimEnd(), 'hello'],
  [String.raw`hello\\`, 'hello\\'],
  ['"hello', ERR],
  [String.raw`"hello\"`, ERR],
  [`"hel'lo"`, "hel'lo"],
  [String.raw`'hello\'`, 'hello\\'],
  [`"''"`, "''"],
  ['$.', '$.'],
  ['he$1x', 'hex'],
  ['he$.x', 'he$.x'],
  ['he$pwd.', 'he.'],
  ['he$PWD', 'he/home'],
  [String.raw`he\$PWD`, 'he$PWD'],
  [String.raw`he\\$PWD`, 'he\\/home'],
  [String.raw`"he\$PWD"`, 'he$PWD'],
  ['\\${}', '${}'],
  ['${}', ERR],
  ['he${}xx', ERR],
  ['he${hi}xx', 'hexx'],
  ['he${.}', ERR],
  ['he${XXX:-000}xx', 'he000xx'],
  ['he${PWD:-000}xx', 'he/homexx'],
  ['he${XXX:-$PWD}xx', 'he/homexx'],
  ['he${XXX:-${PWD:-yyy}}xx', 'he/homexx'],
  ['he${XXX:-${YYY:-yyy}}xx', 'heyyyxx'],
  ['he${XXX:YYY}', ERR],
  ['he${XXX?}', ERR],
  ['he${XXX:?}', ERR],
  ['he${PWD?}', 'he/home'],
  ['he${NULL?}', 'he'],
  ['he${NULL:?}', ERR],
  ['he${PWD:+${SHELL}}xx', 'hebashxx'],
  ['he${XXX:+000}xx', 'hexx'],
  ["'he${XX}'", 'he${XX}'],
  [`"he'$PWD'"`, "he'/home'"],
  [`'$PWD'`, '$PWD'],
  ['he${PWD', ERR],
  ['he${PWD:=000}xx', ERR],
  ['he${PWD:+${PWD}:}xx', 'he/home:xx'],
  ['he${XXX:-\\$PWD:}xx', 'he$PWD:xx'],
  ['he${XXX:-\\${PWD}z}xx', 'he${PWDz}xx'],
  ["안'녕'하세요", '안녕하세요'],
  ['안녕$KOREAN', '안녕한국어'],
  ['${aaa}}', '}'],
  ['${aaa:-bbb ${foo}', ERR],
  ['${aaa:-bbb {foo}', 'bbb {foo'],
  ['${:-bbb}', ERR],
  ['${999:-bbb}aaa', 'bbbaaa'],
  ['$001aaa', 'aaa'],
  ['$@@@', '@@'],
  ['${$:-bbb}', 'bbb'],
  // POSIX forms without the colon: only "unset" counts, "" is a value.
  ['${NULL-def}', ''],
  ['${XXX-def}', 'def'],
  ['${NULL+alt}', 'alt'],
  ['${XXX+alt}', ''],
  ['${NULL:-def}', 'def'],
  ['${NULL:+alt}', ''],
  // Pattern removal and replacement.
  ['${P#*/}', 'b/c.tar.gz'],
  ['${P##*/}', 'c.tar.gz'],
  ['${P%.*}', 'a/b/c.tar'],
  ['${P%%.*}', 'a/b/c'],
  ['${P/\\//-}', 'a-b/c.tar.gz'],
  ['${P//\\//-}', 'a-b-c.tar.gz'],
  ['${P/tar/zip}', 'a/b/c.zip.gz'],
  ['${PWD/', ERR],
];

test('ProcessWord table (escape "\\")', () => {
  const lex = new ShellLex('\\');
  for (const [word, want] of WORDS) {
    if (want === ERR) {
      assert.throws(() => lex.processWord(word, ENV), LexError, `expected an error for ${word}`);
    } else {
      assert.equal(lex.processWord(word, ENV), want, `ProcessWord(${word})`);
    }
  }
});

test('errors carry Docker\'s wording', () => {
  const lex = new ShellLex('\\');
  const msg = (w: string) => {
    try {
      lex.processWord(w, ENV);
    } catch (err) {
      return (err as Error).message;
    }
    return 'no error';
  };
  assert.equal(msg('${X:?must be set}'), 'failed to process "${X:?must be set}": X: must be set');
  assert.equal(msg('${X?}'), 'failed to process "${X?}": X: is not allowed to be unset');
  assert.equal(msg('${NULL:?}'), 'failed to process "${NULL:?}": NULL: is not allowed to be empty');
  assert.equal(msg('${}'), 'failed to process "${}": syntax error: bad substitution');
  assert.equal(msg('${X'), 'failed to process "${X": unsupported modifier (\ufffd) in substitution');
  assert.equal(msg('${X:-a'), `failed to process "\${X:-a": syntax error: missing '}'`);
  assert.equal(msg('${X=a}'), 'failed to process "${X=a}": unsupported modifier (=) in substitution');
  assert.equal(msg(`'open`), `failed to process "'open": unexpected end of statement while looking for matching single-quote`);
  assert.equal(msg('"open'), 'failed to process "\\"open": unexpected end of statement while looking for matching double-quote');
});

// [word, expected ProcessWords result]
const SPLITS: [string, string[]][] = [
  ['hello world', ['hello', 'world']],
  ['  spaced   out  ', ['spaced', 'out']],
  ['"quoted words" plain', ['quoted words', 'plain']],
  [`'single quoted'x`, ['single quotedx']],
  [String.raw`escaped\ space`, ['escaped space']],
  ['$WORDS', ['80', '443/udp']],
  ['"$WORDS"', ['80 443/udp']],
  ['pre$WORDS', ['pre80', '443/udp']],
  ['"" a', ['a']],
  ['', []],
];

test('ProcessWords splits after expansion, keeping quoted spaces', () => {
  const lex = new ShellLex('\\');
  const env = envFromList(['WORDS=80 443/udp']);
  for (const [word, want] of SPLITS) assert.deepEqual(lex.processWords(word, env), want, `ProcessWords(${word})`);
});

test('backtick escape token', () => {
  const lex = new ShellLex('`');
  assert.equal(lex.processWord('C:\\dir\\$PWD', ENV), 'C:\\dir\\/home');
  assert.equal(lex.processWord('`$PWD', ENV), '$PWD');
  assert.equal(lex.processWord('"a`"b"', ENV), 'a"b');
  assert.equal(lex.processWord('"a\\"', ENV), 'a\\');
});

test('raw options keep quotes and escapes; skipUnsetEnv keeps unknown references', () => {
  const raw = new ShellLex('\\', { rawQuotes: true, rawEscapes: true, skipUnsetEnv: true });
  assert.deepEqual(raw.processWords('RUN cat <<"EOF" \\x $NOPE ${NOPE:-d}', ENV), [
    'RUN',
    'cat',
    '<<"EOF"',
    '\\x',
    '$NOPE',
    '${NOPE:-d}',
  ]);
  const keep = new ShellLex('\\', { skipUnsetEnv: true });
  assert.equal(keep.processWord('$PWD/$NOPE/${NOPE}', ENV), '/home/$NOPE/${NOPE}');
});

test('matched and unmatched variable names are reported', () => {
  const r = new ShellLex('\\').process('$PWD ${MISSING:-x} $NULL', ENV);
  assert.deepEqual([...r.matched].sort(), ['NULL', 'PWD']);
  assert.deepEqual([...r.unmatched], ['MISSING']);
});
