// Expected outputs follow docker/cli's formatter.Context: "table" formats are
// aligned with tabwriter(10, 1, 3, ' ', 0) under a header row rendered with
// HeaderFunctions; other formats print one rendered row per line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatRows, isJSON, isTable, preFormat } from './formatter.js';

const psHeaders = {
  ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', RunningFor: 'CREATED', Status: 'STATUS', Ports: 'PORTS', Names: 'NAMES',
};
const psRows = [
  { ID: 'c6ee4f0c2e6b', Image: 'nginx', Command: '"/docker-entrypoint.…"', RunningFor: '10 seconds ago', Status: 'Up 9 seconds', Ports: '80/tcp', Names: 'web' },
  { ID: '4c01db0b339c', Image: 'ubuntu', Command: '"bash"', RunningFor: '2 hours ago', Status: 'Exited (0) 2 hours ago', Ports: '', Names: 'old' },
];
// The format string as the shell passes it: backslash-t, not a tab.
const psFormat = 'table {{.ID}}\\t{{.Image}}\\t{{.Command}}\\t{{.RunningFor}}\\t{{.Status}}\\t{{.Ports}}\\t{{.Names}}';

test('isTable / isJSON / preFormat', () => {
  assert.equal(isTable('table {{.ID}}'), true);
  assert.equal(isTable('tablefoo'), true); // Docker uses a plain prefix check
  assert.equal(isTable('{{.ID}}'), false);
  assert.equal(isJSON('json'), true);
  assert.equal(isJSON('{{json .}}'), false);
  assert.equal(preFormat('table {{.ID}}\\t{{.Names}}\\n'), '{{.ID}}\t{{.Names}}\n');
  assert.equal(preFormat('  {{.ID}}  '), '{{.ID}}');
  assert.equal(preFormat('json'), '{{json .}}');
});

test('docker ps default table', () => {
  assert.equal(
    formatRows(psFormat, psRows, psHeaders),
    'CONTAINER ID   IMAGE     COMMAND                  CREATED          STATUS                   PORTS     NAMES\n' +
      'c6ee4f0c2e6b   nginx     "/docker-entrypoint.…"   10 seconds ago   Up 9 seconds             80/tcp    web\n' +
      '4c01db0b339c   ubuntu    "bash"                   2 hours ago      Exited (0) 2 hours ago             old\n',
  );
});

test('table with no rows prints only the header', () => {
  assert.equal(formatRows('table {{.ID}}\\t{{.Names}}', [], psHeaders), 'CONTAINER ID   NAMES\n');
});

test('fields without a header get an empty header cell', () => {
  assert.equal(formatRows('table {{.ID}}\\t{{.Size}}\\t{{.Names}}', [{ ID: 'abc', Size: '1B', Names: 'n' }], psHeaders),
    'CONTAINER ID             NAMES\nabc            1B        n\n');
});

test('header functions leave titles intact but pad still applies', () => {
  assert.equal(formatRows('table {{lower .Names}}\\t{{pad .ID 1 1}}', [{ Names: 'WEB', ID: 'x' }], psHeaders),
    'NAMES      CONTAINER ID \nweb        x \n');
  assert.equal(formatRows('table {{truncate .ID 3}}|{{split .Names ","}}', [{ ID: 'abcdef', Names: 'a,b' }], psHeaders),
    'CONTAINER ID|NAMES\nabc|[a b]\n');
});

test('header errors are ignored: {{json .}} in a table yields an empty header line', () => {
  assert.equal(formatRows('table {{json .}}', [{ ID: 'a' }], psHeaders), '\n{"ID":"a"}\n');
});

test('non-table formats: one line per row, \\t expanded, no alignment', () => {
  assert.equal(formatRows('{{.ID}}\\t{{.Names}}', psRows, psHeaders), 'c6ee4f0c2e6b\tweb\n4c01db0b339c\told\n');
  assert.equal(formatRows('{{.ID}}: {{.Names}}', psRows, psHeaders), 'c6ee4f0c2e6b: web\n4c01db0b339c: old\n');
  assert.equal(formatRows('{{.Names}}', [], psHeaders), '');
  // Like `docker ps --format json`: row contexts marshal with sorted keys.
  assert.equal(formatRows('json', [{ Names: 'b', ID: 'a', Command: '"sh"' }], psHeaders), '{"Command":"\\"sh\\"","ID":"a","Names":"b"}\n');
  assert.equal(formatRows('{{.Missing}}', [{ ID: 'a' }], psHeaders), '<no value>\n');
});

test('row objects may expose fields as getters and methods', () => {
  class Ctx {
    get ID(): string { return 'deadbeef0000'; }
    Names(): string { return 'svc'; }
  }
  assert.equal(formatRows('table {{.ID}}\\t{{.Names}}', [new Ctx()], psHeaders), 'CONTAINER ID   NAMES\ndeadbeef0000   svc\n');
});

test('errors carry the docker "template parsing error" prefix', () => {
  assert.throws(() => formatRows('{{.ID', [], psHeaders), { message: 'template parsing error: template: :1: unclosed action' });
  assert.throws(() => formatRows('table {{nope .ID}}', [], psHeaders), {
    message: 'template parsing error: template: :1: function "nope" not defined',
  });
  assert.throws(() => formatRows('{{.ID.X}}', [{ ID: 'a' }], psHeaders), {
    message: 'template parsing error: template: :1:5: executing "" at <.ID.X>: can\'t evaluate field X in type string',
  });
});
