// Cases from docker/cli's cli/command/formatter/tabwriter/tabwriter_test.go (a copy of
// Go's text/tabwriter tests adapted to rune widths); Escape (0xff) cases are omitted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AlignRight, Debug, DiscardEmptyColumns, FilterHTML, TabWriter, stringWidth } from './tabwriter.js';

type Case = [name: string, minwidth: number, tabwidth: number, padding: number, padchar: string, flags: number, src: string, want: string];

const cases: Case[] = [
  ['1a', 8, 0, 1, '.', 0, '', ''],
  ['1a debug', 8, 0, 1, '.', Debug, '', ''],
  ['2', 8, 0, 1, '.', 0, '\n\n\n', '\n\n\n'],
  ['3', 8, 0, 1, '.', 0, 'a\nb\nc', 'a\nb\nc'],
  ['4a', 8, 0, 1, '.', 0, '\t', ''],
  ['4b', 8, 0, 1, '.', AlignRight, '\t', ''],
  ['5', 8, 0, 1, '.', 0, '*\t*', '*.......*'],
  ['5b', 8, 0, 1, '.', 0, '*\t*\n', '*.......*\n'],
  ['5c', 8, 0, 1, '.', 0, '*\t*\t', '*.......*'],
  ['5c debug', 8, 0, 1, '.', Debug, '*\t*\t', '*.......|*'],
  ['5d', 8, 0, 1, '.', AlignRight, '*\t*\t', '.......**'],
  ['6', 8, 0, 1, '.', 0, '\t\n', '........\n'],
  ['7a', 8, 0, 1, '.', 0, 'a) foo', 'a) foo'],
  ['7b', 8, 0, 1, ' ', 0, 'b) foo\tbar', 'b) foo  bar'],
  ['7c', 8, 0, 1, '.', 0, 'c) foo\tbar\t', 'c) foo..bar'],
  ['7d', 8, 0, 1, '.', 0, 'd) foo\tbar\n', 'd) foo..bar\n'],
  ['7e', 8, 0, 1, '.', 0, 'e) foo\tbar\t\n', 'e) foo..bar.....\n'],
  ['7f', 8, 0, 1, '.', FilterHTML, 'f) f&lt;o\t<b>bar</b>\t\n', 'f) f&lt;o..<b>bar</b>.....\n'],
  ['7g', 8, 0, 1, '.', FilterHTML, 'g) f&lt;o\t<b>bar</b>\t non-terminated entity &amp', 'g) f&lt;o..<b>bar</b>..... non-terminated entity &amp'],
  ['7g debug', 8, 0, 1, '.', FilterHTML | Debug, 'g) f&lt;o\t<b>bar</b>\t non-terminated entity &amp', 'g) f&lt;o..|<b>bar</b>.....| non-terminated entity &amp'],
  ['8', 8, 0, 1, '*', 0, 'Hello, world!\n', 'Hello, world!\n'],
  ['9a', 1, 0, 0, '.', 0, '1\t2\t3\t4\n11\t222\t3333\t44444\n', '1.2..3...4\n11222333344444\n'],
  ['9b', 1, 0, 0, '.', FilterHTML, '1\t2<!---\f--->\t3\t4\n11\t222\t3333\t44444\n', '1.2<!---\f--->..3...4\n11222333344444\n'],
  ['9c', 1, 0, 0, '.', 0, '1\t2\t3\t4\f11\t222\t3333\t44444\n', '1234\n11222333344444\n'],
  ['9c debug', 1, 0, 0, '.', Debug, '1\t2\t3\t4\f11\t222\t3333\t44444\n', '1|2|3|4\n---\n11|222|3333|44444\n'],
  ['10a', 5, 0, 0, '.', 0, '1\t2\t3\t4\n', '1....2....3....4\n'],
  ['10b', 5, 0, 0, '.', 0, '1\t2\t3\t4\t\n', '1....2....3....4....\n'],
  // Docker's fork measures with go-runewidth: CJK characters are two columns wide.
  ['11', 8, 0, 1, '.', 0, '本\tb\tc\naa\t本本本\tcccc\tddddd\naaa\tbbbb\n', '本......b.......c\naa......本本本..cccc....ddddd\naaa.....bbbb\n'],
  ['12a', 8, 0, 1, ' ', AlignRight, 'a\tè\tc\t\naa\tèèè\tcccc\tddddd\t\naaa\tèèèè\t\n',
    '       a       è       c\n      aa     èèè    cccc   ddddd\n     aaa    èèèè\n'],
  ['12b', 2, 0, 0, ' ', 0, 'a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n', 'a  b  c\naa bbbcccc\naaabbbb\n'],
  ['12c', 8, 0, 1, '_', 0, 'a\tb\tc\naa\tbbb\tcccc\naaa\tbbbb\n', 'a_______b_______c\naa______bbb_____cccc\naaa_____bbbb\n'],
  ['13a', 4, 0, 1, '-', 0, '4444\t日本語\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n',
    '4444------日本語-22--1---333\n999999999-22\n7---------22\n------------------88888888\n\n666666-666666-666666----4444\n1------1------999999999-0000000000\n'],
  ['13b', 4, 0, 3, '.', 0, '4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t999999999\t0000000000\n',
    '4444........333...22...1...333\n999999999...22\n7...........22\n....................88888888\n\n666666...666666...666666......4444\n1........1........999999999...0000000000\n'],
  ['13c', 8, 8, 1, '\t', FilterHTML, '4444\t333\t22\t1\t333\n999999999\t22\n7\t22\n\t\t\t88888888\n\n666666\t666666\t666666\t4444\n1\t1\t<font color=red attr=日本語>999999999</font>\t0000000000\n',
    '4444\t\t333\t22\t1\t333\n999999999\t22\n7\t\t22\n\t\t\t\t88888888\n\n666666\t666666\t666666\t\t4444\n1\t1\t<font color=red attr=日本語>999999999</font>\t0000000000\n'],
  ['14', 1, 0, 2, ' ', AlignRight, '.0\t.3\t2.4\t-5.1\t\n23.0\t12345678.9\t2.4\t-989.4\t\n5.1\t12.0\t2.4\t-7.0\t\n.0\t0.0\t332.0\t8908.0\t\n.0\t-.3\t456.4\t22.1\t\n.0\t1.2\t44.4\t-13.3\t\t',
    '    .0          .3    2.4    -5.1\n  23.0  12345678.9    2.4  -989.4\n   5.1        12.0    2.4    -7.0\n    .0         0.0  332.0  8908.0\n    .0         -.3  456.4    22.1\n    .0         1.2   44.4   -13.3'],
  ['15a', 4, 0, 0, '.', 0, 'a\t\tb', 'a.......b'],
  ['15b', 4, 0, 0, '.', DiscardEmptyColumns, 'a\t\tb', 'a.......b'],
  ['15c', 4, 0, 0, '.', DiscardEmptyColumns, 'a\v\vb', 'a...b'],
  ['15d', 4, 0, 0, '.', AlignRight | DiscardEmptyColumns, 'a\v\vb', '...ab'],
  ['16a', 100, 100, 0, '\t', 0, 'a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n', 'a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n'],
  ['16b', 100, 100, 0, '\t', DiscardEmptyColumns, 'a\vb\v\vd\na\vb\v\vd\ve\na\na\vb\vc\vd\na\vb\vc\vd\ve\n', 'a\tb\td\na\tb\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n'],
  ['16b debug', 100, 100, 0, '\t', DiscardEmptyColumns | Debug, 'a\vb\v\vd\na\vb\v\vd\ve\na\na\vb\vc\vd\na\vb\vc\vd\ve\n',
    'a\t|b\t||d\na\t|b\t||d\t|e\na\na\t|b\t|c\t|d\na\t|b\t|c\t|d\t|e\n'],
  ['16c debug', 100, 100, 0, '\t', DiscardEmptyColumns | Debug, 'a\tb\t\td\na\tb\t\td\te\na\na\tb\tc\td\na\tb\tc\td\te\n',
    'a\t|b\t|\t|d\na\t|b\t|\t|d\t|e\na\na\t|b\t|c\t|d\na\t|b\t|c\t|d\t|e\n'],
];

test('Go tabwriter test table: written all at once', () => {
  for (const [name, mw, tw, pad, pc, flags, src, want] of cases) {
    const w = new TabWriter(mw, tw, pad, pc, flags);
    w.write(src);
    assert.equal(w.flush(), want, name);
  }
});

test('Go tabwriter test table: written character by character and in fibonacci slices', () => {
  for (const [name, mw, tw, pad, pc, flags, src, want] of cases) {
    const w = new TabWriter(mw, tw, pad, pc, flags);
    for (const ch of src) w.write(ch);
    assert.equal(w.flush(), want, `${name} (char by char)`);
    for (let i = 0, d = 0; i < src.length; ) {
      w.write(src.slice(i, i + d));
      i += d;
      d++;
      if (i + d > src.length) d = src.length - i;
    }
    assert.equal(w.flush(), want, `${name} (fibonacci)`);
  }
});

test('docker ps layout with the CLI settings (10, 1, 3, space, 0)', () => {
  const w = new TabWriter(10, 1, 3, ' ', 0);
  w.write('CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES\n');
  w.write('c6ee4f0c2e6b\tnginx\t"/docker-entrypoint.…"\t10 seconds ago\tUp 9 seconds\t80/tcp\tweb\n');
  assert.equal(
    w.flush(),
    'CONTAINER ID   IMAGE     COMMAND                  CREATED          STATUS         PORTS     NAMES\n' +
      'c6ee4f0c2e6b   nginx     "/docker-entrypoint.…"   10 seconds ago   Up 9 seconds   80/tcp    web\n',
  );
});

test('a line without tabs ends the column block', () => {
  const w = new TabWriter(0, 1, 1, ' ', 0);
  w.write('a\tb\nlong-cell\tc\nno tabs here\nx\ty\n');
  assert.equal(w.flush(), 'a         b\nlong-cell c\nno tabs here\nx y\n');
});

test('stringWidth counts wide and zero-width characters like go-runewidth', () => {
  assert.equal(stringWidth('abc'), 3);
  assert.equal(stringWidth('日本語'), 6);
  assert.equal(stringWidth('e\u0301'), 1); // combining acute accent
  assert.equal(stringWidth('🐳'), 2);
  assert.equal(stringWidth('…'), 1);
});
