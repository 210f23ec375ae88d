// berth events / berth system events: docker/cli's cli/command/system/events.go.
import type { EngineClient } from '../../../client/client.js';
import { send } from '../../../client/transport.js';
import { defineCommand, StatusError, type CommandContext } from '../../command.js';
import { describe } from '../../daemon-error.js';
import { filtersJson } from '../../filter-flag.js';
import type { FlagValues } from '../../flags.js';
import { JSON_FORMAT, JSON_FORMAT_KEY } from '../../format/formatter.js';
import { parseTemplate, type Template } from '../../format/go-template.js';
import { apiTimestamp } from '../../timestamp.js';

/** The Actor of an event, as the events.Actor struct templates see. */
class Actor {
  constructor(public ID = '', public Attributes: Record<string, string> = {}) {}
  toJSON() {
    return { ID: this.ID, Attributes: new Map(Object.entries(this.Attributes)) };
  }
}

/** events.Message: what `--format` templates see (`{{.Type}}`, `{{.Actor.Attributes.name}}`, `{{json .}}`). */
export class Message {
  Status = '';
  ID = '';
  From = '';
  Type = '';
  Action = '';
  Actor = new Actor();
  Scope = '';
  Time = 0;
  TimeNano = 0n;

  /** Go's encoding/json of the struct: legacy fields omitted when empty. */
  toJSON() {
    const o: Record<string, unknown> = {};
    if (this.Status) o.status = this.Status;
    if (this.ID) o.id = this.ID;
    if (this.From) o.from = this.From;
    Object.assign(o, { Type: this.Type, Action: this.Action, Actor: this.Actor, scope: this.Scope });
    if (this.Time) o.time = this.Time;
    if (this.TimeNano) o.timeNano = this.TimeNano;
    return o;
  }

  /** One NDJSON line from the daemon; timeNano is read from the text, since a double cannot hold it. */
  static parse(line: string): Message {
    const raw = JSON.parse(line) as Record<string, any>;
    const m = new Message();
    m.Status = String(raw.status ?? '');
    m.ID = String(raw.id ?? '');
    m.From = String(raw.from ?? '');
    m.Type = String(raw.Type ?? '');
    m.Action = String(raw.Action ?? '');
    m.Actor = new Actor(String(raw.Actor?.ID ?? ''), raw.Actor?.Attributes ?? {});
    m.Scope = String(raw.scope ?? '');
    m.Time = Number(raw.time ?? 0);
    const nano = /"timeNano"\s*:\s*(\d+)/.exec(line);
    m.TimeNano = nano ? BigInt(nano[1]!) : BigInt(Math.round(Number(raw.timeNano ?? 0)));
    return m;
  }
}
Object.defineProperty(Message, 'name', { value: '*events.Message' });

/** Go's time.Format(RFC3339NanoFixed) in the local zone: 2006-01-02T15:04:05.000000000Z07:00. */
export function formatEventTime(nanos: bigint): string {
  const ms = Number(nanos / 1_000_000n);
  const frac = String(nanos % 1_000_000_000n).padStart(9, '0');
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const local = new Date(ms + off * 60_000);
  const base = local.toISOString().slice(0, 19);
  const zone = off === 0 ? 'Z' : `${off > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${base}.${frac}${zone}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** docker's prettyPrintEvent: `<time> <type> <action> <id> (k=v, ...)` with sorted attributes. */
export function prettyEvent(m: Message): string {
  let out = '';
  if (m.TimeNano !== 0n) out += `${formatEventTime(m.TimeNano)} `;
  else if (m.Time !== 0) out += `${formatEventTime(BigInt(m.Time) * 1_000_000_000n)} `;
  out += `${m.Type} ${m.Action} ${m.Actor.ID}`;
  const attrs = m.Actor.Attributes ?? {};
  const keys = Object.keys(attrs).sort();
  if (keys.length) out += ` (${keys.map((k) => `${k}=${attrs[k]}`).join(', ')})`;
  return `${out}\n`;
}

/** makeTemplate: 'json' means {{json .}}; the template is tried on an empty message first. */
function makeTemplate(format: string): Template | undefined {
  if (format === '') return undefined;
  const src = format === JSON_FORMAT_KEY ? JSON_FORMAT : format;
  try {
    const t = parseTemplate(src);
    t.execute(new Message());
    return t;
  } catch (err) {
    throw new StatusError(`Error parsing format: ${(err as Error).message}`, 64);
  }
}

function timestamp(value: string): string {
  try {
    return apiTimestamp(value);
  } catch {
    throw new Error(`failed to parse value as time or duration: ${JSON.stringify(value)}`);
  }
}

export const eventsCommand = defineCommand({
  name: 'events',
  usage: 'events [OPTIONS]',
  short: 'Get real time events from the server',
  args: { exact: 0 },
  flags: [
    {
      name: 'filter', short: 'f', type: 'stringArray', valueName: 'filter', usage: 'Filter output based on conditions provided',
      validate: (raw: string) => {
        if (!raw.includes('=')) throw new Error('bad format of filter (expected name=value)');
      },
    },
    {
      name: 'format', type: 'string',
      usage: "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.\nRefer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates",
    },
    { name: 'since', type: 'string', usage: 'Show all events created since timestamp' },
    { name: 'until', type: 'string', usage: 'Stream events until this timestamp' },
  ],
  async run(ctx: CommandContext, opts: FlagValues) {
    const tmpl = makeTemplate((opts.format as string) ?? '');
    const since = opts.since ? timestamp(opts.since as string) : undefined;
    const until = opts.until ? timestamp(opts.until as string) : undefined;
    const client = await ctx.getClient<EngineClient>();
    const out = ctx.io.stdout;
    let res;
    try {
      res = await send(client.ep, '/events', { query: { since, until, filters: filtersJson((opts.filter as string[]) ?? []) } });
    } catch (err) {
      throw new Error(describe(err));
    }
    let carry = '';
    const emit = (line: string) => {
      if (!line.trim()) return;
      const m = Message.parse(line.replace(/^\x1e/, ''));
      if (!tmpl) {
        out.write(prettyEvent(m));
        return;
      }
      const r = tmpl.tryExecute(m);
      out.write(`${r.output}\n`);
      if (r.error) throw r.error;
    };
    for await (const chunk of res) {
      carry += (chunk as Buffer).toString('utf8');
      let nl: number;
      while ((nl = carry.indexOf('\n')) >= 0) {
        const line = carry.slice(0, nl);
        carry = carry.slice(nl + 1);
        emit(line);
      }
    }
    emit(carry);
  },
});
