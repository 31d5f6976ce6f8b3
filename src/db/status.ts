// Questions about the database as a whole.
import type { Database } from './client.js';

/** True when no suppliers, users or spend exist yet (a fresh install). */
export async function isDatabaseEmpty(database: Database): Promise<boolean> {
  const [row] = await database.query<{ empty: boolean }>(
    'select not exists (select 1 from suppliers) and not exists (select 1 from users) and not exists (select 1 from spend_lines) as empty',
  );
  return Boolean(row?.empty);
}
