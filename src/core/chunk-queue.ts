// A small push queue consumed by an async generator: what a stream handler pushes, a response drains.
export class ChunkQueue {
  private items: Buffer[] = [];
  private ended = false;
  private wake?: () => void;
  push(b: Buffer): void {
    this.items.push(b);
    this.wake?.();
  }
  end(): void {
    this.ended = true;
    this.wake?.();
  }
  async *drain(): AsyncGenerator<Buffer> {
    for (;;) {
      while (this.items.length) yield this.items.shift()!;
      if (this.ended) return;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
  }
}
