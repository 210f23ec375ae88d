import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lastEntry, linesBackward, tailEntries } from './log-tail.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-logtail-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): { fd: number; end: number; close(): void } {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  const fd = openSync(p, 'r');
  return { fd, end: Buffer.byteLength(text), close: () => closeSync(fd) };
}

const entry = (n: number, stream = 'stdout', tag = 'F', text = `line ${n}`) =>
  `2024-01-01T00:00:${String(n % 60).padStart(2, '0')}.000000000+00:00 ${stream} ${tag} ${text}\n`;

test('linesBackward: every complete line, last first, across read boundaries; a line still being written is left out', async () => {
  const lines = Array.from({ length: 3000 }, (_, i) => `${i} ${'é'.repeat(i % 97)}`);
  const f = file('back', `${lines.join('\n')}\nhalf-writ`);
  const got: string[] = [];
  for await (const l of linesBackward(f.fd, f.end)) got.push(l);
  // Lines come back as their bytes, one per character (latin1), multi-byte characters included.
  assert.deepEqual(got, [...lines].reverse().map((l) => Buffer.from(l).toString('latin1')));
  f.close();
});

test('tailEntries counts lines: partial entries continue the next entry of their stream', async () => {
  const text =
    entry(1) +
    entry(2, 'stdout', 'P', 'long ') +
    entry(3, 'stderr', 'F', 'err') +
    entry(4, 'stdout', 'P', 'line ') +
    entry(5, 'stdout', 'F', 'end') +
    entry(6, 'stdout', 'P', 'no newline yet');
  const f = file('partial', text);
  const texts = async (n: number) => (await tailEntries([f], n, () => true)).map((e) => e.text);
  assert.deepEqual(await texts(1), ['no newline yet']);
  // The stdout line "long line end" is cut by the stderr line in between: tail does not reach across it.
  assert.deepEqual(await texts(2), ['line ', 'end', 'no newline yet']);
  assert.deepEqual(await texts(3), ['long ', 'err', 'line ', 'end', 'no newline yet']);
  assert.deepEqual(await texts(10), ['line 1', 'long ', 'err', 'line ', 'end', 'no newline yet']);
  assert.deepEqual(await texts(0), []);
  assert.equal((await lastEntry(f.fd, f.end))?.text, 'no newline yet');
  f.close();
});

test('tailEntries reads the newest file first and goes back into older ones only as needed', async () => {
  const older = file('older', entry(1) + entry(2));
  const newer = file('newer', entry(3));
  const got = (await tailEntries([older, newer], 2, () => true)).map((e) => e.text);
  assert.deepEqual(got, ['line 2', 'line 3']);
  const onlyStderr = await tailEntries([older, newer], 5, (e) => e.stream === 'stderr');
  assert.deepEqual(onlyStderr, []);
  older.close();
  newer.close();
});
