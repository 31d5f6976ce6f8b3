// Two app instances' database pools on one fresh database of the test server, for tests of what instances share.
import { type Database, openDatabase } from '../../src/db/client.js';
import { createServerDatabase } from './databases.js';

/** Runs `fn` with two separate pools on a new server database, then closes both and drops it. */
export async function withTwoInstances(fn: (a: Database, b: Database) => Promise<void>, poolSize = 3): Promise<void> {
  const { url, drop } = await createServerDatabase();
  try {
    const [a, b] = [await openDatabase({ url, poolSize }), await openDatabase({ url, poolSize })];
    try {
      await fn(a, b);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  } finally {
    await drop();
  }
}
