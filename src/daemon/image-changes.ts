// `docker import --change` / `docker commit --change`: Dockerfile instructions
// applied to a container config, as Docker's dockerfile.BuildFromConfig does.
import path from 'node:path';
import type { ContainerConfig, HealthConfig } from '../api/types.js';
import { parseSignal } from '../core/signals.js';
import { invalidArgument } from '../errdefs/errors.js';

const VALID = new Set(['cmd', 'entrypoint', 'healthcheck', 'env', 'expose', 'label', 'onbuild', 'stopsignal', 'user', 'volume', 'workdir']);
const DEFAULT_SHELL = ['/bin/sh', '-c'];

/** Docker's empty container.Config, with its JSON field order. */
export function blankConfig(): ContainerConfig {
  return {
    Hostname: '', Domainname: '', User: '', AttachStdin: false, AttachStdout: false, AttachStderr: false,
    Tty: false, OpenStdin: false, StdinOnce: false, Env: null, Cmd: null, Image: '', Volumes: null,
    WorkingDir: '', Entrypoint: null, OnBuild: null, Labels: null,
  };
}

/** Returns a new config with the instructions in `changes` applied; throws InvalidArgument. */
export function applyChanges(base: ContainerConfig, changes: string[] | undefined): ContainerConfig {
  const cfg: ContainerConfig = structuredClone(base);
  if (!changes || changes.length === 0) return cfg;
  const lines = logicalLines(changes.join('\n'));
  const parsed = lines.map((line) => {
    const m = /^\s*(\S+)\s*(.*)$/s.exec(line)!;
    return { keyword: m[1].toLowerCase(), rest: m[2].trim(), line };
  });
  // Like Docker: check every instruction before applying any.
  for (const p of parsed) if (!VALID.has(p.keyword)) throw invalidArgument(`${p.keyword} is not a valid change command`);
  let cmdSet = false;
  for (const { keyword, rest, line } of parsed) {
    const env = () => envMap(cfg.Env);
    const upper = keyword.toUpperCase();
    switch (keyword) {
      case 'cmd':
        cfg.Cmd = commandLine(rest, cfg);
        cmdSet = true;
        break;
      case 'entrypoint':
        cfg.Entrypoint = commandLine(rest, cfg);
        // A new entrypoint drops an inherited CMD unless this change list set one.
        if (!cmdSet) cfg.Cmd = null;
        break;
      case 'env':
        for (const [k, v] of nameValues(upper, rest, env())) setEnv(cfg, k, v);
        break;
      case 'label':
        cfg.Labels ??= {};
        for (const [k, v] of nameValues(upper, rest, env())) cfg.Labels[k] = v;
        break;
      case 'expose': {
        const ports = splitWords(rest).map((w) => processWord(w, env()));
        if (ports.length === 0) throw atLeastOne(upper);
        cfg.ExposedPorts ??= {};
        for (const p of ports) for (const key of portKeys(p)) cfg.ExposedPorts[key] = {};
        break;
      }
      case 'user':
        cfg.User = exactlyOne(upper, rest, env());
        break;
      case 'workdir': {
        const dir = exactlyOne(upper, rest, env());
        cfg.WorkingDir = path.posix.resolve(cfg.WorkingDir || '/', dir);
        break;
      }
      case 'stopsignal': {
        const sig = exactlyOne(upper, rest, env());
        parseSignal(sig);
        cfg.StopSignal = sig;
        break;
      }
      case 'volume': {
        const json = jsonArray(rest);
        const vols = json ?? splitWords(rest).map((w) => processWord(w, env()));
        if (vols.length === 0) throw atLeastOne(upper);
        cfg.Volumes ??= {};
        for (const v of vols) {
          if (v.trim() === '') throw invalidArgument('VOLUME specified can not be an empty string');
          cfg.Volumes[v.trim()] = {};
        }
        break;
      }
      case 'onbuild': {
        if (rest === '') throw atLeastOne(upper);
        const trigger = rest.split(/\s+/)[0].toUpperCase();
        if (trigger === 'ONBUILD') throw invalidArgument('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
        if (trigger === 'FROM' || trigger === 'MAINTAINER') throw invalidArgument(`${trigger} isn't allowed as an ONBUILD trigger`);
        (cfg.OnBuild ??= []).push(line.replace(/^\s*ONBUILD\s*/i, '').trim());
        break;
      }
      case 'healthcheck':
        cfg.Healthcheck = healthcheck(rest);
        break;
    }
  }
  return cfg;
}

/** Joins `\`-continued lines; drops blank lines and comments. */
function logicalLines(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const raw of text.split('\n')) {
    if (cur === '' && /^\s*#/.test(raw)) continue;
    const cont = /\\\s*$/.exec(raw);
    cur += cont ? raw.slice(0, cont.index) : raw;
    if (cont) continue;
    if (cur.trim() !== '') out.push(cur);
    cur = '';
  }
  if (cur.trim() !== '') out.push(cur);
  return out;
}

/** Exec form (a JSON string array) as is; shell form through the config's shell. */
function commandLine(rest: string, cfg: ContainerConfig): string[] {
  return jsonArray(rest) ?? [...(cfg.Shell?.length ? cfg.Shell : DEFAULT_SHELL), rest];
}

function jsonArray(rest: string): string[] | undefined {
  if (!rest.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(rest);
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
  } catch {
    // not JSON: shell form
  }
  return undefined;
}

function exactlyOne(instr: string, rest: string, env: Map<string, string>): string {
  const words = splitWords(rest);
  if (words.length !== 1 && instr !== 'WORKDIR') throw invalidArgument(`${instr} requires exactly one argument`);
  if (rest === '') throw invalidArgument(`${instr} requires exactly one argument`);
  return processWord(instr === 'WORKDIR' ? rest : words[0], env);
}

function atLeastOne(instr: string): Error {
  return invalidArgument(`${instr} requires at least one argument`);
}

/** ENV/LABEL: `k=v k2="v 2"` pairs, or the legacy `key value with spaces`. */
function nameValues(instr: string, rest: string, env: Map<string, string>): Array<[string, string]> {
  const words = splitWords(rest);
  if (words.length === 0) throw atLeastOne(instr);
  if (!words[0].includes('=')) {
    if (words.length < 2) throw invalidArgument(`${instr} must have two arguments`);
    const value = rest.slice(rest.indexOf(words[0]) + words[0].length).trim();
    return [[processWord(words[0], env), processWord(value, env)]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq < 0) throw invalidArgument(`Syntax error - can't find = in "${w}". Must be of the form: name=value`);
    const key = processWord(w.slice(0, eq), env);
    if (key === '') throw invalidArgument(`${instr} names can not be blank`);
    return [key, processWord(w.slice(eq + 1), env)];
  });
}

function envMap(env: string[] | null | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of env ?? []) {
    const eq = e.indexOf('=');
    m.set(eq < 0 ? e : e.slice(0, eq), eq < 0 ? '' : e.slice(eq + 1));
  }
  return m;
}

function setEnv(cfg: ContainerConfig, key: string, value: string): void {
  const list = (cfg.Env ??= []);
  const i = list.findIndex((e) => e === key || e.startsWith(`${key}=`));
  if (i >= 0) list[i] = `${key}=${value}`;
  else list.push(`${key}=${value}`);
}

/** Splits on unquoted whitespace, keeping quotes and escapes for processWord. */
function splitWords(s: string): string[] {
  const words: string[] = [];
  let cur = '';
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && quote !== "'" && i + 1 < s.length) {
      cur += c + s[++i];
    } else if (quote) {
      if (c === quote) quote = '';
      cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      cur += c;
    } else if (/\s/.test(c)) {
      if (cur) words.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) words.push(cur);
  return words;
}

/** Removes quotes and escapes and expands $VAR, ${VAR}, ${VAR:-x}, ${VAR:+x}. */
export function processWord(word: string, env: Map<string, string>): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    if (quote === "'") {
      if (c === "'") quote = '';
      else out += c;
    } else if (c === '\\' && i + 1 < word.length) {
      const n = word[++i];
      out += quote === '"' && !'"$\\`'.includes(n) ? c + n : n;
    } else if (c === '"') {
      quote = quote ? '' : '"';
    } else if (c === "'" && !quote) {
      quote = "'";
    } else if (c === '$') {
      const { value, next } = expand(word, i + 1, env);
      out += value;
      i = next - 1;
    } else out += c;
  }
  return out;
}

function expand(word: string, i: number, env: Map<string, string>): { value: string; next: number } {
  if (word[i] === '{') {
    const end = word.indexOf('}', i);
    if (end < 0) throw invalidArgument(`missing '}' in ${word}`);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])(.*))?$/s.exec(word.slice(i + 1, end));
    if (!m) throw invalidArgument(`bad substitution in ${word}`);
    const [, name, op, arg] = m;
    const set = env.has(name) && (op?.startsWith(':') ? env.get(name) !== '' : true);
    let value = env.get(name) ?? '';
    if (op?.endsWith('-')) value = set ? value : processWord(arg, env);
    if (op?.endsWith('+')) value = set ? processWord(arg, env) : '';
    return { value, next: end + 1 };
  }
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(word.slice(i));
  if (!m) return { value: '$', next: i };
  return { value: env.get(m[0]) ?? '', next: i + m[0].length };
}

/** `80`, `80/udp`, `8000-8002/tcp` → "80/tcp" keys. */
function portKeys(spec: string): string[] {
  const [range, proto = 'tcp'] = spec.split('/', 2);
  const m = /^(\d+)(?:-(\d+))?$/.exec(range);
  if (!m || !['tcp', 'udp', 'sctp'].includes(proto.toLowerCase())) throw invalidArgument(`invalid containerPort: ${spec}`);
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo > 65535 || hi > 65535 || hi < lo) throw invalidArgument(`invalid containerPort: ${spec}`);
  const keys: string[] = [];
  for (let p = lo; p <= hi; p++) keys.push(`${p}/${proto.toLowerCase()}`);
  return keys;
}

function healthcheck(rest: string): HealthConfig {
  const hc: HealthConfig = {};
  let s = rest.trim();
  for (let m = /^--(\S+)\s*/.exec(s); m; m = /^--(\S+)\s*/.exec(s)) {
    s = s.slice(m[0].length);
    const [flag, value = ''] = m[1].split(/=(.*)/s, 2);
    if (flag === 'retries') {
      if (!/^-?\d+$/.test(value)) throw invalidArgument(`invalid value "${value}" for flag --retries`);
      if (Number(value) < 0) throw invalidArgument(`--retries cannot be negative (${value})`);
      if (Number(value) > 0) hc.Retries = Number(value);
      continue;
    }
    const fields = { interval: 'Interval', timeout: 'Timeout', 'start-period': 'StartPeriod', 'start-interval': 'StartInterval' } as const;
    const field = fields[flag as keyof typeof fields];
    if (!field) throw invalidArgument(`Unknown flag: ${flag}`);
    const ns = goDurationNs(value);
    if (ns !== 0 && ns < 1_000_000) throw invalidArgument(`${field} "--${flag}" cannot be less than 1ms`);
    if (ns) hc[field] = ns;
  }
  const m = /^(\S+)\s*(.*)$/s.exec(s);
  const type = (m?.[1] ?? '').toUpperCase();
  const args = m?.[2] ?? '';
  if (type === 'NONE') {
    if (args !== '') throw invalidArgument('HEALTHCHECK NONE takes no arguments');
    return { Test: ['NONE'] };
  }
  if (type !== 'CMD') throw invalidArgument(`Unknown type "${type}" in HEALTHCHECK (try CMD)`);
  const json = jsonArray(args);
  return { Test: json ? ['CMD', ...json] : ['CMD-SHELL', args], ...hc };
}

function goDurationNs(value: string): number {
  if (value === '0') return 0;
  const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  if (!/^([0-9]*(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$/.test(value)) throw invalidArgument(`time: invalid duration "${value}"`);
  let ns = 0;
  for (const m of value.matchAll(/([0-9]*(?:\.[0-9]*)?)(ns|us|µs|ms|s|m|h)/g)) ns += Number(m[1]) * units[m[2]];
  return Math.round(ns);
}
