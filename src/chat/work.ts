// Work a bot does besides answering its HTTP request: orchestrator turns, at most `maxTurns` at once with the rest
// waiting in arrival order (turns are CPU- and database-bound: more at once only lengthen each one and delay the
// acknowledgements platforms expect within seconds), and background tasks, tracked so `drain()` can wait for them
// (shutdown, tests); tasks with the same key run one after another (one approval's card updates stay in order).
import type { Logger } from '../log.js';

export type ChatWork = {
  /** Runs an orchestrator turn within the concurrency limit. */
  turn<T>(task: () => Promise<T>): Promise<T>;
  /** Runs `task` in the background (after the earlier tasks of the same key); a failure is logged, never thrown. */
  run(what: string, task: () => Promise<void>, key?: string): void;
  /** Resolves once nothing runs in the background (including tasks started by tasks). */
  drain(): Promise<void>;
  /** Turns waiting for a slot. */
  readonly queued: number;
};

/** The work tracker of one bot; `label` prefixes its log lines ('slack', 'teams'). */
export function createChatWork(log: Logger, label: string, maxTurns = 4): ChatWork {
  const running = new Set<Promise<void>>();
  const chains = new Map<string, Promise<void>>();
  let turnsRunning = 0;
  const turnsWaiting: (() => void)[] = [];
  return {
    async turn(task) {
      if (turnsRunning >= maxTurns) await new Promise<void>((resolve) => turnsWaiting.push(resolve));
      else turnsRunning++;
      try {
        return await task();
      } finally {
        const next = turnsWaiting.shift();
        if (next) next();
        else turnsRunning--;
      }
    },
    run(what, task, key) {
      const previous = key ? chains.get(key) : undefined;
      const p: Promise<void> = (previous ?? Promise.resolve())
        .then(task)
        .catch((err: Error) => log.warn(`${label}: ${what} failed`, { error: err.message }))
        .finally(() => {
          running.delete(p);
          if (key && chains.get(key) === p) chains.delete(key);
        });
      running.add(p);
      if (key) chains.set(key, p);
    },
    async drain() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    get queued() {
      return turnsWaiting.length;
    },
  };
}
