import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonMessage } from '../../api/types.js';
import { displayJsonMessages, JsonStreamError } from './display-json.js';
import { renderProgress } from './json-progress.js';

async function* of(ms: JsonMessage[]): AsyncGenerator<JsonMessage> {
  yield* ms;
}

function sink() {
  let s = '';
  return { out: { write: (c: string) => ((s += c), true) } as unknown as NodeJS.WritableStream, text: () => s };
}

const PULL: JsonMessage[] = [
  { status: 'Pulling from exp/multi', id: '1' },
  { status: 'Already exists', progressDetail: {}, id: 'aaa' },
  { status: 'Pulling fs layer', progressDetail: {}, id: 'bbb' },
  { status: 'Downloading', progressDetail: { current: 36445, total: 3001226 }, progress: '[>   ]  36.45kB/3.001MB', id: 'bbb' },
  { status: 'Download complete', progressDetail: {}, id: 'bbb' },
  { status: 'Pull complete', progressDetail: {}, id: 'bbb' },
  { status: 'Digest: sha256:abc' },
  { status: 'Status: Downloaded newer image for x:1' },
];

test('off a terminal: plain lines, without byte progress (docker pull | cat)', async () => {
  const s = sink();
  await displayJsonMessages(of(PULL), s.out, { terminal: false });
  assert.equal(
    s.text(),
    '1: Pulling from exp/multi\naaa: Already exists\nbbb: Pulling fs layer\nbbb: Download complete\nbbb: Pull complete\nDigest: sha256:abc\nStatus: Downloaded newer image for x:1\n',
  );
});

test('on a terminal: one line per layer, redrawn in place', async () => {
  const s = sink();
  await displayJsonMessages(of(PULL.slice(0, 4)), s.out, { terminal: true, width: 80 });
  const E = '\x1b[';
  assert.equal(
    s.text(),
    '1: Pulling from exp/multi\n' +
      `\n${E}1A${E}2K\raaa: Already exists \r${E}1B` +
      `\n${E}1A${E}2K\rbbb: Pulling fs layer \r${E}1B` +
      // bbb is the last line: up 1, rewrite, down 1; no bar at 80 columns.
      `${E}1A${E}2K\rbbb: Downloading  36.45kB/3.001MB\r${E}1B`,
  );
});

test('errors in the stream end it as an error; aux messages go to the callback', async () => {
  const s = sink();
  const aux: unknown[] = [];
  const run = displayJsonMessages(
    of([{ progressDetail: {}, aux: { Tag: 'a' } }, { errorDetail: { message: 'no basic auth credentials' }, error: 'no basic auth credentials' }]),
    s.out,
    { terminal: false, onAux: (m) => aux.push(m.aux) },
  );
  await assert.rejects(run, (e: Error) => e instanceof JsonStreamError && e.message === 'no basic auth credentials');
  assert.deepEqual(aux, [{ Tag: 'a' }]);
  await assert.rejects(displayJsonMessages(of([{ errorDetail: { code: 401, message: 'x' } }]), s.out, { terminal: false }), /authentication is required/);
});

test('the bar shows only on terminals wider than 110 columns', () => {
  assert.equal(renderProgress({ current: 36445, total: 3001226 }, 80), ' 36.45kB/3.001MB');
  assert.equal(renderProgress({ current: 36445, total: 3001226 }, 120), `[>${' '.repeat(50)}]  36.45kB/3.001MB`);
  assert.equal(renderProgress({}, 120), '');
});
