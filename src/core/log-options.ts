// Log drivers and their options (--log-driver, --log-opt), judged as Docker judges them, and what they mean
// for berth: every driver but `none` is stored in conmon's one k8s-file format, and berthd rotates it.
import { fromHumanSize, MiB } from '../api/units.js';
import type { HostConfig } from '../api/types.js';
import { invalidArgument } from '../errdefs/errors.js';

export type LogConfig = NonNullable<HostConfig['LogConfig']>;

/** Docker's default driver; an empty Type means it, as in Docker. */
export const DEFAULT_LOG_DRIVER = 'json-file';
export const LOG_DRIVERS = ['json-file', 'local', 'k8s-file', 'none'] as const;

/** Rotation when nothing is said: the defaults of Docker's `local` driver (daemon/logger/local/config.go). */
export const DEFAULT_MAX_SIZE = 20 * MiB;
export const DEFAULT_MAX_FILE = 5;
/** `none` keeps no log, but attaches read live output through a small file that is dropped as it fills. */
export const NONE_MAX_SIZE = 1 * MiB;

const JSON_FILE_OPTS = ['max-file', 'max-size', 'compress', 'labels', 'labels-regex', 'env', 'env-regex', 'tag'];
const LOCAL_OPTS = ['max-file', 'max-size', 'compress'];

/** How a container's log is kept. */
export interface LogPolicy {
  driver: string;
  /** False for `none`: GET /logs answers 501 as Docker does. */
  readable: boolean;
  /** The current file is rotated once it holds this many bytes. */
  maxSize: number;
  /** Files kept, the current one included: `<log>`, `<log>.1` … `<log>.(maxFile-1)`. */
  maxFile: number;
  /**
   * conmon's own `--log-size-max`: a bound for while berthd is not there to rotate. conmon counts bytes
   * since its last truncation (a reopen berthd asks for does not reset it: conmon 2.1's static
   * bytes_written), so this also fires while berthd runs; berthd then keeps that file as a rotated one.
   */
  backstop: number;
}

const fail = (msg: string) => invalidArgument(`failed to initialize logging driver: ${msg}`);

/**
 * Checks a create request's LogConfig and returns it as stored (Type filled in, Config never null).
 * Throws Docker's errors (400); Docker 20.10 reports the value errors only at start, berth before creating.
 */
export function normalizeLogConfig(cfg: Partial<LogConfig> | null | undefined, ident?: TagIdentity): LogConfig {
  const type = cfg?.Type || DEFAULT_LOG_DRIVER;
  const config: Record<string, string> = { ...(cfg?.Config ?? {}) };
  if (!(LOG_DRIVERS as readonly string[]).includes(type)) {
    throw invalidArgument(`error looking up logging plugin ${type}: plugin "${type}" not found`);
  }
  const out = { Type: type, Config: config };
  if (type === 'none') return out;
  const allowed = type === 'local' ? LOCAL_OPTS : JSON_FILE_OPTS;
  for (const key of Object.keys(config)) {
    if (!allowed.includes(key)) {
      throw invalidArgument(
        type === 'local' ? `unknown log opt '${key}' for log driver local` : `unknown log opt '${key}' for ${type} log driver`,
      );
    }
  }
  logPolicy(out);
  if (type !== 'local') {
    compileGoRegexp(config['labels-regex']);
    compileGoRegexp(config['env-regex']);
    if (config.tag) renderTag(config.tag, ident ?? PLACEHOLDER_IDENTITY);
  }
  return out;
}

/** The effective rotation of a (validated) LogConfig. Throws the value errors `normalizeLogConfig` reports. */
export function logPolicy(cfg: Partial<LogConfig> | null | undefined): LogPolicy {
  const driver = cfg?.Type || DEFAULT_LOG_DRIVER;
  const c = cfg?.Config ?? {};
  if (driver === 'none') {
    return { driver, readable: false, maxSize: NONE_MAX_SIZE, maxFile: 1, backstop: backstopFor(NONE_MAX_SIZE) };
  }
  const policy = driver === 'local' ? localPolicy(c) : jsonFilePolicy(c);
  return { driver, readable: true, ...policy, backstop: backstopFor(policy.maxSize) };
}

/** The backstop of a stored LogConfig; one stored before options were checked gets the default. */
export function logBackstop(cfg: Partial<LogConfig> | null | undefined): number {
  try {
    return logPolicy(cfg).backstop;
  } catch {
    return logPolicy(undefined).backstop;
  }
}

/**
 * Twice max-size, and at least 8 MiB more: room for berthd to take over a container that floods its log
 * the moment it starts, before it has given the file its `.live` name.
 */
export function backstopFor(maxSize: number): number {
  return Math.max(2 * maxSize, maxSize + 8 * MiB);
}

/** json-file's rules (daemon/logger/jsonfilelog); where Docker would keep one unbounded file, berth rotates. */
function jsonFilePolicy(c: Record<string, string>): { maxSize: number; maxFile: number } {
  let maxSize: number | undefined;
  if (c['max-size'] !== undefined) {
    maxSize = parseSize(c['max-size'], (m) => m);
    if (maxSize <= 0) throw fail('max-size must be a positive number');
  }
  let maxFile: number | undefined;
  if (c['max-file'] !== undefined) {
    maxFile = atoi(c['max-file'], (m) => m);
    if (maxFile < 1) throw fail('max-file cannot be less than 1');
  }
  if (c.compress !== undefined) {
    const compress = parseBool(c.compress, (m) => m);
    if (compress && ((maxFile ?? 1) === 1 || maxSize === undefined)) {
      throw fail('compress cannot be true when max-file is less than 2 or max-size is not set');
    }
  }
  // Docker: max-size alone keeps one file. Nothing at all: Docker grows forever, berth uses local's defaults.
  if (maxSize !== undefined) return { maxSize, maxFile: maxFile ?? 1 };
  return { maxSize: DEFAULT_MAX_SIZE, maxFile: maxFile ?? DEFAULT_MAX_FILE };
}

/** local's rules (daemon/logger/local/config.go); a size or count of 0 falls back to the default. */
function localPolicy(c: Record<string, string>): { maxSize: number; maxFile: number } {
  let maxSize = DEFAULT_MAX_SIZE;
  if (c['max-size'] !== undefined) maxSize = parseSize(c['max-size'], (m) => `invalid value for max-size: ${c['max-size']}: ${m}`);
  let maxFile = DEFAULT_MAX_FILE;
  if (c['max-file'] !== undefined) maxFile = atoi(c['max-file'], (m) => `invalid value for max-file: ${c['max-file']}: ${m}`);
  let compress = true;
  if (c.compress !== undefined) compress = parseBool(c.compress, (m) => `error reading compress log option: ${m}`);
  if (maxSize < 0) throw fail('max size should be a positive number');
  if (maxFile < 0) throw fail('max file count cannot be less than 0');
  if (compress && maxFile <= 1) throw fail('compression cannot be enabled when max file count is 1');
  return { maxSize: maxSize || DEFAULT_MAX_SIZE, maxFile: maxFile || 1 };
}

function parseSize(v: string, wrap: (m: string) => string): number {
  try {
    return fromHumanSize(v);
  } catch (err) {
    throw fail(wrap((err as Error).message));
  }
}

/** Go's strconv.Atoi (decimal, optional sign). */
function atoi(v: string, wrap: (m: string) => string): number {
  if (!/^[+-]?\d+$/.test(v)) throw fail(wrap(`strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`));
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw fail(wrap(`strconv.Atoi: parsing ${JSON.stringify(v)}: value out of range`));
  return n;
}

/** Go's strconv.ParseBool. */
function parseBool(v: string, wrap: (m: string) => string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw fail(wrap(`strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`));
}

/** Compiles a labels-regex / env-regex option, with Go's wording for the usual mistakes. */
function compileGoRegexp(src: string | undefined): RegExp | undefined {
  if (!src) return undefined;
  try {
    return new RegExp(src);
  } catch (err) {
    const m = (err as Error).message;
    let why = `invalid regexp: \`${src}\``;
    if (/Unterminated group/.test(m)) why = `missing closing ): \`${src}\``;
    else if (/Unmatched '\)'/.test(m)) why = `unexpected ): \`${src}\``;
    else if (/Unterminated character class/.test(m)) why = `missing closing ]: \`${src.slice(src.lastIndexOf('['))}\``;
    else if (/Nothing to repeat/.test(m)) why = `missing argument to repetition operator: \`${/[*+?{]/.exec(src)?.[0] ?? src}\``;
    throw fail(`error parsing regexp: ${why}`);
  }
}

/** What a `tag` template may name about the container (Docker's logger.Info). */
export interface TagIdentity {
  id: string;
  name: string; // with its leading slash, as Docker stores it
  imageId: string; // sha256:…
  imageName: string;
  command: string[];
  logPath: string;
}

const PLACEHOLDER_IDENTITY: TagIdentity = {
  id: '0'.repeat(64),
  name: '/x',
  imageId: `sha256:${'0'.repeat(64)}`,
  imageName: 'x',
  command: [],
  logPath: '',
};

/** The `{{.Field}}` actions of Docker's log tag templates; other template syntax is kept as text. */
export function renderTag(template: string, who: TagIdentity): string {
  const fields: Record<string, string> = {
    ID: who.id.slice(0, 12),
    FullID: who.id,
    ContainerID: who.id,
    Name: who.name.replace(/^\//, ''),
    ContainerName: who.name,
    ImageID: who.imageId.slice(0, 12),
    ImageFullID: who.imageId,
    ContainerImageID: who.imageId,
    ImageName: who.imageName,
    ContainerImageName: who.imageName,
    DaemonName: 'docker',
    Command: who.command.join(' '),
    LogPath: who.logPath,
  };
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{{', i);
    if (open < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, open);
    const close = template.indexOf('}}', open + 2);
    const line = template.slice(0, open).split('\n').length;
    if (close < 0) throw fail(`template: log-tag:${line}: unclosed action`);
    const action = template.slice(open + 2, close);
    const m = /^(\s*)\.([A-Za-z_]\w*)\s*$/.exec(action);
    if (!m) {
      out += template.slice(open, close + 2);
    } else if (m[2] in fields) {
      out += fields[m[2]];
    } else {
      const col = open + 2 + m[1].length - (template.lastIndexOf('\n', open) + 1);
      throw fail(
        `template: log-tag:${line}:${col}: executing "log-tag" at <.${m[2]}>: can't evaluate field ${m[2]} in type *logger.Info`,
      );
    }
    i = close + 2;
  }
  return out;
}

/** What `logs --details` prints before each line: Docker's extra attributes plus the tag. */
export interface DetailSource {
  labels: Record<string, string> | null | undefined;
  env: string[] | null | undefined;
  who: TagIdentity;
}

/**
 * Docker's logger.Info.ExtraAttributes (labels, labels-regex, env, env-regex) and `tag`, formatted as
 * the API writes them (httputils attrsByteSlice): sorted by key, query-escaped, "k=v,k2=v2".
 * The caller adds the space that separates them from the line (also when there are none).
 */
export function detailPrefix(cfg: LogConfig, src: DetailSource): string {
  const c = cfg.Config ?? {};
  const extra = new Map<string, string>();
  const labels = src.labels ?? {};
  for (const l of (c.labels ?? '').split(',')) if (l && l in labels) extra.set(l, labels[l]);
  const labelsRe = safeRegexp(c['labels-regex']);
  if (labelsRe) for (const [k, v] of Object.entries(labels)) if (labelsRe.test(k)) extra.set(k, v);
  const env = new Map<string, string>();
  for (const e of src.env ?? []) {
    const eq = e.indexOf('=');
    if (eq >= 0) env.set(e.slice(0, eq), e.slice(eq + 1));
  }
  for (const k of (c.env ?? '').split(',')) if (k && env.has(k)) extra.set(k, env.get(k)!);
  const envRe = safeRegexp(c['env-regex']);
  if (envRe) for (const [k, v] of env) if (envRe.test(k)) extra.set(k, v);
  if (c.tag && cfg.Type !== 'local') {
    try {
      const tag = renderTag(c.tag, src.who);
      if (tag) extra.set('tag', tag);
    } catch {
      // validated at create; nothing to add if it no longer renders
    }
  }
  return [...extra.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => `${queryEscape(k)}=${queryEscape(extra.get(k)!)}`)
    .join(',');
}

function safeRegexp(src: string | undefined): RegExp | undefined {
  try {
    return src ? new RegExp(src) : undefined;
  } catch {
    return undefined;
  }
}

/** Go's url.QueryEscape: everything but letters, digits and -_.~ is %XX (UTF-8), a space is '+'. */
export function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}
