/**
 * Writes taken off the turn's path: the first `schedule()` after a quiet spell waits `batchMs` so
 * that one write carries every count made in that window (0 writes at once), one write runs at a
 * time, and `writeOnce` is called again while `hasPending()` says more came in meanwhile. The timer
 * is unref'd, so pending counts never keep the process alive; shutdown awaits `flushed()`.
 */
export class WriteBatch {
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly writeOnce: () => Promise<void>,
    private readonly hasPending: () => boolean,
    private readonly batchMs: number,
  ) {}

  schedule(): void {
    if (this.running || this.timer) return;
    if (this.batchMs <= 0) {
      this.running = this.drain();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running ??= this.drain();
    }, this.batchMs).unref();
  }

  /** Resolves once everything scheduled so far is written: a waiting batch goes now. */
  async flushed(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.running ??= this.drain();
    }
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.hasPending()) await this.writeOnce();
    } finally {
      this.running = undefined;
    }
  }
}
