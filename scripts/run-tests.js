#!/usr/bin/env node
// Test runner behind `npm test`: runs every compiled test (dist/src/**/*.test.js, dist/test/**/*.test.js)
// with Node's built-in runner. Node 20 has no glob support for --test, so the files are listed here.
//
//   node scripts/run-tests.js                 all tests
//   node scripts/run-tests.js oci container   only files whose path contains "oci" or "container"
//   node scripts/run-tests.js --test-only …   arguments starting with "--" go to node
//
// Env: BERTH_TEST_TIMEOUT (ms per test, default 600000), BERTH_TEST_CONCURRENCY (files at once).
// A compiled test whose .ts source is gone (stale dist/) is skipped, not run.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

/** @param {string} dir @param {string[]} out */
function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && e.name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const nodeArgs = [];
const filters = [];
for (const a of process.argv.slice(2)) (a.startsWith('--') ? nodeArgs : filters).push(a);

const found = [];
for (const top of ['src', 'test']) walk(path.join(dist, top), found);
found.sort();

const stale = [];
const files = [];
for (const f of found) {
  const rel = path.relative(dist, f); // src/oci/digest.test.js
  const source = path.join(root, rel.replace(/\.js$/, '.ts'));
  if (!existsSync(source)) {
    stale.push(rel);
    continue;
  }
  if (filters.length > 0 && !filters.some((s) => rel.includes(s))) continue;
  files.push(path.relative(process.cwd(), f) || f);
}

if (stale.length > 0) {
  process.stderr.write(`run-tests: skipping ${stale.length} stale compiled test(s) with no .ts source: ${stale.join(', ')}\n`);
}
if (files.length === 0) {
  process.stderr.write(
    `run-tests: no test files found under ${path.relative(process.cwd(), dist) || dist}/{src,test}` +
      (filters.length ? ` matching ${filters.join(', ')}` : '') +
      ' (did "npm run build:ts" run?)\n',
  );
  process.exit(1);
}

const args = ['--test'];
if (process.stdout.isTTY) args.push('--test-reporter=spec');
args.push(`--test-timeout=${process.env.BERTH_TEST_TIMEOUT ?? '600000'}`);
if (process.env.BERTH_TEST_CONCURRENCY) args.push(`--test-concurrency=${process.env.BERTH_TEST_CONCURRENCY}`);
args.push(...nodeArgs, ...files);

const child = spawn(process.execPath, args, { stdio: 'inherit' });
for (const sig of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(sig, () => child.kill(sig));
}
child.on('exit', (code, signal) => {
  if (signal) {
    process.stderr.write(`run-tests: test runner killed by ${signal}\n`);
    process.exit(1);
  }
  process.exit(code ?? 1);
});
