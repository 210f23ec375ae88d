// At most `limit` transfers at a time across the daemon (Docker's max-concurrent-downloads/uploads);
// the rest wait their turn in order.
export class Limiter {
  private active = 0;
  private readonly queue: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  /** Whether a run() started now would have to wait. */
  get saturated(): boolean {
    return this.active >= this.limit;
  }

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve, reject) => {
        const go = () => {
          signal?.removeEventListener('abort', cancel);
          resolve();
        };
        const cancel = () => {
          const i = this.queue.indexOf(go);
          if (i >= 0) this.queue.splice(i, 1);
          reject(signal?.reason ?? new Error('aborted'));
        };
        this.queue.push(go);
        signal?.addEventListener('abort', cancel, { once: true });
      });
    } else {
      this.active++;
    }
    try {
      return await fn();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active--;
    }
  }
}
