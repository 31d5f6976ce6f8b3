// At most N orchestrator turns at once, the rest waiting in arrival order. Turns are CPU- and database-bound: more
// of them at once only lengthens every one and lets the event loop lag, which delays the 3-second acks of new
// requests; a short queue keeps acks prompt and answers in arrival order.
export class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  get queued(): number {
    return this.waiting.length;
  }
}
