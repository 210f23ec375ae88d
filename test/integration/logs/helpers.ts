// Shared pieces of the log tests: the files of a container's log on disk, and reading numbered lines.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BerthdHandle } from '../../helpers/daemon.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function containerDir(d: BerthdHandle, id: string): string {
  return path.join(d.dataRoot, 'containers', id);
}

/** `container.log`, `container.log.1` …, with their sizes and inodes (not the `.live` second name). */
export function logFiles(d: BerthdHandle, id: string): Array<{ name: string; size: number; ino: number }> {
  const dir = containerDir(d, id);
  return readdirSync(dir)
    .filter((n) => /^container\.log(\.\d+)?$/.test(n))
    .sort()
    .map((name) => {
      const st = statSync(path.join(dir, name));
      return { name, size: st.size, ino: st.ino };
    });
}

/** Bytes of the log's files, each inode once (what berth counts in system df). */
export function logBytesOnDisk(d: BerthdHandle, id: string): number {
  const dir = containerDir(d, id);
  const seen = new Map<number, number>();
  for (const n of readdirSync(dir)) {
    if (!/^container\.log(\.\d+|\.live)?$/.test(n)) continue;
    const st = statSync(path.join(dir, n));
    seen.set(st.ino, st.size);
  }
  return [...seen.values()].reduce((a, b) => a + b, 0);
}

/**
 * A shell script printing `count` numbered lines ("line N" plus padding), `perPause` at a time with a
 * short pause between, so the output is heavy but not faster than a busy real service.
 */
export function printer(count: number, opts: { from?: number; perPause?: number; pauseUs?: number; before?: string } = {}): string {
  const from = opts.from ?? 0;
  const per = opts.perPause ?? 100;
  const pause = opts.pauseUs ?? 2000;
  return `${opts.before ?? ''}i=${from}; while [ $i -lt ${from + count} ]; do echo "line $i padding padding padding padding padding"; i=$((i+1)); [ $((i % ${per})) = 0 ] && usleep ${pause}; done; true`;
}

/** The numbers of "line N …" output lines. */
export function lineNumbers(out: string): number[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('line '))
    .map((l) => Number(l.split(' ')[1]));
}

/** The newest lines, each once, in order: N, N+1, … up to `last`. */
export function assertContiguousSuffix(nums: number[], last: number, what: string): void {
  assert.ok(nums.length > 0, `${what}: some lines`);
  assert.equal(nums[nums.length - 1], last, `${what}: ends with the newest line`);
  for (let i = 1; i < nums.length; i++) {
    if (nums[i] !== nums[i - 1] + 1) assert.fail(`${what}: line ${nums[i - 1]} is followed by ${nums[i]}`);
  }
}

/** conmon's command line for a running container (from its pid file under the exec root). */
export function conmonArgs(d: BerthdHandle, id: string): string[] {
  const pid = readFileSync(path.join(d.execRoot, 'conmon', id, 'conmon.pid'), 'utf8').trim();
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
}

export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting for ${what}`);
}
