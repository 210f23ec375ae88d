// Shared by the build integration tests: contexts written from a file map, builds through the berth CLI
// and the API, and what a build may leave behind (containers, images, snapshots, builder dirs).
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import tar from 'tar-stream';
import { apiRequest, mountsUnder, runCli, type BerthdHandle, type RunResult } from '../../helpers/daemon.js';

export type FileSpec = string | { data: string; mode?: number } | { symlink: string } | { dir: true };

/** Writes a context directory under the daemon's temp dir (removed with it). */
export function writeContext(d: BerthdHandle, files: Record<string, FileSpec>): string {
  const dir = mkdtempSync(path.join(d.dir, 'ctx-'));
  for (const [name, spec] of Object.entries(files)) {
    const p = path.join(dir, name);
    mkdirSync(path.dirname(p), { recursive: true });
    if (typeof spec === 'string') writeFileSync(p, spec);
    else if ('symlink' in spec) symlinkSync(spec.symlink, p);
    else if ('dir' in spec) mkdirSync(p, { recursive: true });
    else {
      writeFileSync(p, spec.data);
      if (spec.mode !== undefined) chmodSync(p, spec.mode);
    }
  }
  return dir;
}

export function build(d: BerthdHandle, cwd: string, ...args: string[]): Promise<RunResult> {
  return runCli(['build', ...args, '.'], { socket: d.socket, cwd, timeoutMs: 180_000 });
}

/** A build that must work: fails the test with its whole output otherwise. */
export async function buildOk(d: BerthdHandle, cwd: string, ...args: string[]): Promise<RunResult> {
  const r = await build(d, cwd, ...args);
  if (r.code !== 0) throw new Error(`build ${args.join(' ')} failed (exit ${r.code})\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`);
  return r;
}

export const cli = (d: BerthdHandle, ...args: string[]): Promise<RunResult> => runCli(args, { socket: d.socket, timeoutMs: 120_000 });

/** The steps' " ---> Using cache" lines, by step number. */
export function cachedSteps(stdout: string): number[] {
  const out: number[] = [];
  let step = 0;
  for (const line of stdout.split('\n')) {
    const m = /^Step (\d+)\//.exec(line);
    if (m) step = Number(m[1]);
    if (line === ' ---> Using cache') out.push(step);
  }
  return out;
}

export async function inspect(d: BerthdHandle, ref: string): Promise<Record<string, any>> {
  const r = await apiRequest(d.socket, 'GET', `/images/${encodeURIComponent(ref)}/json`);
  if (r.status !== 200) throw new Error(`inspect ${ref}: ${r.status} ${r.body}`);
  return JSON.parse(r.body.toString());
}

export async function history(d: BerthdHandle, ref: string): Promise<Array<{ CreatedBy: string; Size: number }>> {
  const r = await apiRequest(d.socket, 'GET', `/images/${encodeURIComponent(ref)}/history`);
  if (r.status !== 200) throw new Error(`history ${ref}: ${r.status} ${r.body}`);
  return JSON.parse(r.body.toString());
}

/** The image's config blob as stored (history with empty_layer, container_config…). */
export async function imageConfigBlob(d: BerthdHandle, ref: string): Promise<Record<string, any>> {
  const id = (await inspect(d, ref)).Id as string;
  const { readFileSync } = await import('node:fs');
  return JSON.parse(readFileSync(path.join(d.dataRoot, 'content', 'blobs', 'sha256', id.slice(7)), 'utf8'));
}

/** What a build may leave behind, to compare before and after. */
export async function leftovers(d: BerthdHandle): Promise<{ containers: string; images: string; snapshots: string[]; contexts: string[]; mounts: string[] }> {
  const list = (dir: string) => {
    try {
      return readdirSync(dir).sort();
    } catch {
      return [];
    }
  };
  await apiRequest(d.socket, 'GET', '/_ping');
  return {
    containers: (await cli(d, 'ps', '-aq')).stdout,
    images: (await cli(d, 'images', '-aq', '--no-trunc')).stdout.split('\n').sort().join('\n'),
    snapshots: list(path.join(d.dataRoot, 'snapshots')).filter((n) => /^\d+$/.test(n)),
    contexts: list(path.join(d.dataRoot, 'builder', 'contexts')),
    mounts: mountsUnder(d.dataRoot),
  };
}

/** POST /build with a context tar made from `entries` (raw tar control: `..` names, links out…). */
export async function buildTar(
  d: BerthdHandle,
  entries: Array<{ name: string; data?: string; type?: 'file' | 'symlink' | 'directory' | 'link'; linkname?: string }>,
  query = '',
): Promise<{ status: number; messages: Array<Record<string, any>>; body: string }> {
  const pack = tar.pack();
  for (const e of entries) {
    if (e.type === 'symlink' || e.type === 'link') pack.entry({ name: e.name, type: e.type, linkname: e.linkname });
    else if (e.type === 'directory') pack.entry({ name: e.name, type: 'directory' });
    else pack.entry({ name: e.name }, e.data ?? '');
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as unknown as AsyncIterable<Buffer>) chunks.push(c);
  const r = await apiRequest(d.socket, 'POST', `/build${query}`, { body: Buffer.concat(chunks), headers: { 'Content-Type': 'application/x-tar' }, timeoutMs: 120_000 });
  const body = r.body.toString();
  const messages = r.status === 200 ? body.split(/\r?\n/).filter(Boolean).map((l) => JSON.parse(l)) : [];
  return { status: r.status, messages, body };
}
