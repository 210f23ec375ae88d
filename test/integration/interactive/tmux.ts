// A command in a real terminal: a detached tmux session we type into and read back.
import { execFileSync } from 'node:child_process';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let seq = 0;

export class TmuxSession {
  private constructor(readonly name: string) {}

  /** Runs `command` (a shell line) in a width×height terminal; "EXIT=<code>" is printed when it ends. */
  static start(command: string, size = { width: 120, height: 40 }): TmuxSession {
    const name = `berth-test-${process.pid}-${++seq}`;
    const line = `${command}; echo EXIT=$?; sleep 120`;
    execFileSync('tmux', ['new-session', '-d', '-s', name, '-x', String(size.width), '-y', String(size.height), line]);
    return new TmuxSession(name);
  }

  /** tmux key names ("Enter", "C-p") or literal text. */
  keys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, ...keys]);
  }

  resize(width: number, height: number): void {
    execFileSync('tmux', ['resize-window', '-t', this.name, '-x', String(width), '-y', String(height)]);
  }

  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.name], { encoding: 'utf8' });
  }

  /** Polls the screen until `re` matches (bounded). */
  async waitFor(re: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.screen();
      const m = re.exec(text);
      if (m) return m;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re} in:\n${text}`);
      await sleep(100);
    }
  }

  kill(): void {
    try {
      execFileSync('tmux', ['kill-session', '-t', this.name], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}
