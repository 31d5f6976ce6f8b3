// Questions about the database as a whole.
import { readFile } from 'node:fs/promises';
import { projectPath } from '../paths.js';
import type { Database } from './client.js';

/** True when no suppliers, users or spend exist yet (a fresh install). */
export async function isDatabaseEmpty(database: Database): Promise<boolean> {
  const [row] = await database.query<{ empty: boolean }>(
    'select not exists (select 1 from suppliers) and not exists (select 1 from users) and not exists (select 1 from spend_lines) as empty',
  );
  return Boolean(row?.empty);
}

/** How many of the shipped migrations (migrations/meta/_journal.json) the database has applied. */
export async function migrationStatus(database: Database): Promise<{ applied: number; expected: number }> {
  const journal = JSON.parse(await readFile(projectPath('migrations', 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  const [row] = await database.query<{ n: number | string }>('select count(*)::int as n from drizzle.__drizzle_migrations');
  return { applied: Number(row?.n ?? 0), expected: journal.entries.length };
}
