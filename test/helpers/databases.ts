// The databases every database suite runs on: embedded PGlite always, and a real PostgreSQL server when
// TEST_DATABASE_URL is set (each opened database is a fresh one, dropped on close).
import postgres from 'postgres';
import { type Database, openDatabase } from '../../src/db/client.js';

export type TestDatabase = { name: 'pglite' | 'postgres'; open(): Promise<Database> };

const serverUrl = process.env.TEST_DATABASE_URL;

/** Creates a throwaway database on the test server and returns its URL and a dropper. */
export async function createServerDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `qm_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const a = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

async function openServer(): Promise<Database> {
  const { url, drop } = await createServerDatabase();
  const database = await openDatabase({ url, poolSize: 5 });
  const close = database.close;
  return {
    ...database,
    async close() {
      await close();
      await drop();
    },
  };
}

export const testDatabases: TestDatabase[] = [
  { name: 'pglite', open: () => openDatabase({ dataDir: 'memory' }) },
  ...(serverUrl ? [{ name: 'postgres' as const, open: openServer }] : []),
];

/** True when the real-server suites run. */
export const hasServer = Boolean(serverUrl);
