// A lane for analytics: at most `concurrency` of its statements run on the server at once, the rest wait their turn
// in the order they came. Spend questions range from a few milliseconds (a rollup read) to most of a second (a
// supplier ranking over a year that cuts months, at 10M lines). When many run together on a server with few cores
// they share the CPU, so every slow one takes as long as all of them together (16 clients on 2 cores: p99 4-5 s at
// 10M lines); queued, each runs at full speed once started (p99 about 1 s), at the cost of a higher median.
import pLimit from 'p-limit';
import type { Database } from './client.js';

/** `database` with its statements, connections and transactions taken `concurrency` at a time (FIFO). */
export function analyticsLane(database: Database, concurrency: number): Database {
  const limit = pLimit(Math.max(1, Math.floor(concurrency)));
  return {
    kind: database.kind,
    label: database.label,
    get db() {
      return database.db;
    },
    query: (text, params) => limit(() => database.query(text, params)),
    withConnection: (fn) => limit(() => database.withConnection(fn)),
    transaction: (fn) => limit(() => database.transaction(fn)),
    exec: (script) => limit(() => database.exec(script)),
    ping: () => database.ping(),
    // The lane does not own the database it queues for.
    close: async () => {},
  };
}
