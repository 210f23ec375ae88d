import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTemplate } from '../../format/go-template.js';
import { formatEventTime, Message, prettyEvent } from './events.js';

process.env.TZ = 'UTC'; // docker prints local time; the expected strings are in UTC

const LINE =
  '{"status":"die","id":"abc","from":"busybox","Type":"container","Action":"die","Actor":{"ID":"abc","Attributes":' +
  '{"exitCode":"3","foo":"bar","image":"busybox","name":"x"}},"scope":"local","time":1795355804,"timeNano":1795355804476757278}';

test('default line: RFC3339 with 9 fraction digits, type, action, id, sorted attributes', () => {
  const m = Message.parse(LINE);
  assert.equal(m.TimeNano, 1795355804476757278n);
  assert.equal(prettyEvent(m), '2026-11-22T13:56:44.476757278Z container die abc (exitCode=3, foo=bar, image=busybox, name=x)\n');
  assert.equal(formatEventTime(1_000_000_000n * 1_700_000_000n + 5n), '2023-11-14T22:13:20.000000005Z');
});

test('--format sees events.Message: Go field names, {{json .}} as dockerd sent it', () => {
  const m = Message.parse(LINE);
  assert.equal(renderTemplate('{{json .}}', m), LINE);
  assert.equal(
    renderTemplate('{{.Status}}|{{.ID}}|{{.From}}|{{.Type}}|{{.Scope}}|{{.Time}}|{{.TimeNano}}|{{.Actor.Attributes.name}}', m),
    'die|abc|busybox|container|local|1795355804|1795355804476757278|x',
  );
  assert.equal(renderTemplate('{{json .Actor}}', m), '{"ID":"abc","Attributes":{"exitCode":"3","foo":"bar","image":"busybox","name":"x"}}');
  // An empty message (what docker validates templates against) renders missing attributes as <no value>.
  assert.equal(renderTemplate('{{.Actor.Attributes.name}}', new Message()), '<no value>');
  assert.throws(() => renderTemplate('{{.bad}}', new Message()), /can't evaluate field bad in type \*events\.Message/);
});

test('events without legacy fields (volume, network) omit them in {{json .}}', () => {
  const line = '{"Type":"volume","Action":"create","Actor":{"ID":"v","Attributes":{"driver":"local"}},"scope":"local","time":1,"timeNano":1000000001}';
  assert.equal(renderTemplate('{{json .}}', Message.parse(line)), line);
});
