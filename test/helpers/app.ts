// The application as the tests run it: the composition root (src/runtime.ts) on a test database, with the
// packaged policies, nothing logged, no job queue and no language model unless a test asks for them.
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { silentLogger } from '../../src/log.js';
import { type App, type AppOptions, createApp } from '../../src/runtime.js';

export type TestAppOptions = Partial<Omit<AppOptions, 'database'>> & {
  /** Environment the config is read from (default: none, so the machine's own settings never leak in). */
  env?: Record<string, string | undefined>;
};

/** The app on `database` (which the caller keeps and closes); `close()` closes what the app built. */
export function openTestApp(database: Database, opts: TestAppOptions = {}): Promise<App> {
  const { env, ...rest } = opts;
  return createApp(loadConfig(env ?? {}), { purpose: 'test', database, log: silentLogger, jobs: 'off', llm: null, ...rest });
}
