// Work that runs after the HTTP answer: orchestrator turns (Teams waits at most 15 s for the answer to a message, a
// turn can take longer) and card deliveries. Every task is tracked so `drain()` can wait for all of them (shutdown,
// tests); tasks with the same key run one after another (the updates of one approval's cards stay in order); at
// most `maxTurns` orchestrator turns run at once, the rest wait in arrival order.
import type { Logger } from '../../src/log.js';

export class Work {
  private readonly running = new Set<Promise<void>>();
  private readonly chains = new Map<string, Promise<void>>();
  private turnsRunning = 0;
  private readonly turnsWaiting: (() => void)[] = [];

  constructor(
    private readonly log: Logger,
    private readonly maxTurns: number,
  ) {}

  /** Runs `task` in the background (after the tasks of the same key); a failure is logged, never thrown. */
  run(what: string, task: () => Promise<void>, key?: string): void {
    const previous = key ? this.chains.get(key) : undefined;
    const p: Promise<void> = (previous ?? Promise.resolve())
      .then(task)
      .catch((err: Error) => this.log.warn(`teams: ${what} failed`, { error: err.message }))
      .finally(() => {
        this.running.delete(p);
        if (key && this.chains.get(key) === p) this.chains.delete(key);
      });
    this.running.add(p);
    if (key) this.chains.set(key, p);
  }

  /** Runs an orchestrator turn within the concurrency limit. */
  async turn<T>(task: () => Promise<T>): Promise<T> {
    if (this.turnsRunning >= this.maxTurns) await new Promise<void>((resolve) => this.turnsWaiting.push(resolve));
    else this.turnsRunning++;
    try {
      return await task();
    } finally {
      const next = this.turnsWaiting.shift();
      if (next) next();
      else this.turnsRunning--;
    }
  }

  /** Resolves once nothing is running (including work started by work that was running). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
