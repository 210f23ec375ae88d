// Golden tests: every test/golden/dockerfile/NAME.Dockerfile is parsed, typed, split into stages and
// "dry-dispatched" (variable expansion as the classic builder does it, no images), and the result must
// equal NAME.json — or the error text must equal NAME.err. NAME.args (JSON) may give
// {"buildArgs": {"K": "v" | null}, "target": "stage"}. BERTH_UPDATE_GOLDEN=1 rewrites the expectations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuildArgs } from '../build-args.js';
import { dockerfileWarnings, parseDockerfile } from '../dockerfile.js';
import type { Command, Stage } from '../instructions/commands.js';
import { expandCommand, expandFromLine } from '../instructions/expand.js';
import { exposedPortKeys } from '../instructions/expose-ports.js';
import { expandRunMounts } from '../instructions/parse-run.js';
import { envFromList, ShellLex } from '../shell/lex.js';
import { checkStageNames, resolveTarget, stageDependencies } from '../stages.js';

/** The repository root, found from here whether this runs from src/ or dist/src/. */
function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) || !existsSync(path.join(dir, 'test', 'golden'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('repository root not found');
    dir = up;
  }
  return dir;
}

const GOLDEN = path.join(repoRoot(), 'test', 'golden', 'dockerfile');
const UPDATE = process.env.BERTH_UPDATE_GOLDEN === '1';

interface Options {
  buildArgs?: Record<string, string | null>;
  target?: string;
}

const lines = (loc: { startLine: number; endLine: number }) =>
  loc.startLine === loc.endLine ? `${loc.startLine}` : `${loc.startLine}-${loc.endLine}`;

/** A command without its location object and default-valued fields, to keep the golden files readable. */
function compact(cmd: Command): Record<string, unknown> {
  const { location, ...rest } = cmd;
  const out: Record<string, unknown> = { at: lines(location) };
  for (const [k, v] of Object.entries(rest)) {
    if (v === '' || v === false || v === null || (Array.isArray(v) && v.length === 0)) continue;
    if (k === 'network' && v === 'default') continue;
    out[k] = v;
  }
  return out;
}

function compactStage(s: Stage): Record<string, unknown> {
  const out: Record<string, unknown> = { at: lines(s.location), baseName: s.baseName };
  if (s.name) out.name = s.name;
  if (s.platform) out.platform = s.platform;
  if (s.comment) out.comment = s.comment;
  out.commands = s.commands.map(compact);
  return out;
}

/** What the classic builder's dispatcher would compute without running anything. */
function dryDispatch(text: string, opts: Options): Record<string, unknown> {
  const df = parseDockerfile(text);
  const result: Record<string, unknown> = {};
  if (df.escapeToken !== '\\') result.escapeToken = df.escapeToken;
  if (df.directives.length > 0) result.directives = df.directives;
  const warnings = dockerfileWarnings(df);
  if (warnings.length > 0) result.warnings = warnings;
  if (df.metaArgs.length > 0) result.metaArgs = df.metaArgs.map(compact);
  result.stages = df.stages.map(compactStage);

  const target = resolveTarget(df.stages, opts.target);
  const lex = new ShellLex(df.escapeToken);
  const args = new BuildArgs(new Map(Object.entries(opts.buildArgs ?? {})));
  for (const meta of df.metaArgs) {
    const x = expandCommand(meta, lex, args.getAllAllowed());
    if (x.kind !== 'arg') continue;
    for (const a of x.args) {
      args.addArg(a.key, a.value);
      args.addMetaArg(a.key, a.value);
    }
  }
  checkStageNames(df.stages.slice(0, target + 1));
  const built: Record<string, unknown>[] = [];
  for (const [i, stage] of df.stages.slice(0, target + 1).entries()) {
    const from = expandFromLine(stage, lex, args.getAllMeta());
    const st = args.forStage();
    const env: string[] = [];
    const changed: Record<string, unknown>[] = [];
    const exposed: string[] = [];
    for (const cmd of stage.commands) {
      const visible = envFromList([...env, ...st.filterAllowed(env)]);
      let x = expandCommand(cmd, lex, visible);
      if (x.kind === 'run' && x.mountFlags.length > 0) x = { ...x, mounts: expandRunMounts(x, (w) => lex.processWord(w, visible)) };
      if (JSON.stringify(x) !== JSON.stringify(cmd)) changed.push(compact(x));
      if (x.kind === 'env') {
        for (const { key, value } of x.env) {
          const at = env.findIndex((e) => e.slice(0, e.indexOf('=')) === key);
          if (at >= 0) env[at] = `${key}=${value}`;
          else env.push(`${key}=${value}`);
        }
      }
      if (x.kind === 'arg') for (const a of x.args) st.addArg(a.key, a.value);
      if (x.kind === 'expose') exposed.push(...exposedPortKeys(x.ports));
    }
    args.mergeReferenced(st);
    const entry: Record<string, unknown> = { stage: i, from: from.baseName };
    if (from.platform) entry.platform = from.platform;
    if (env.length > 0) entry.env = env;
    if (exposed.length > 0) entry.exposed = exposed;
    if (changed.length > 0) entry.expanded = changed;
    built.push(entry);
  }
  result.build = {
    target,
    needs: stageDependencies(df.stages, target, (s) => lex.processWord(s.baseName, args.getAllMeta())),
    stages: built,
  };
  const warning = args.unusedWarning();
  if (warning) (result.build as Record<string, unknown>).warning = warning;
  return result;
}

const names = readdirSync(GOLDEN)
  .filter((f) => f.endsWith('.Dockerfile'))
  .map((f) => f.slice(0, -'.Dockerfile'.length))
  .sort();

test('there are at least 40 golden Dockerfiles', () => {
  assert.ok(names.length >= 40, `only ${names.length} golden cases`);
});

for (const name of names) {
  test(`golden ${name}`, () => {
    const base = path.join(GOLDEN, name);
    const text = readFileSync(base + '.Dockerfile', 'utf8');
    const opts: Options = existsSync(base + '.args') ? JSON.parse(readFileSync(base + '.args', 'utf8')) : {};
    let actual: string;
    let ext: '.json' | '.err';
    try {
      actual = JSON.stringify(dryDispatch(text, opts), null, 2) + '\n';
      ext = '.json';
    } catch (err) {
      actual = (err as Error).message + '\n';
      ext = '.err';
    }
    if (UPDATE) {
      writeFileSync(base + ext, actual);
      return;
    }
    const other = ext === '.json' ? '.err' : '.json';
    assert.ok(!existsSync(base + other) || existsSync(base + ext), `${name}: expected ${other}, got ${ext}:\n${actual}`);
    assert.equal(actual, readFileSync(base + ext, 'utf8'));
  });
}
