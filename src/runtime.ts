// Wires configuration, logging and the database for one process.
import { type Config, loadConfig } from './config.js';
import { type Database, openDatabase } from './db/client.js';
import { createLogger, type Logger } from './log.js';

export type Runtime = { config: Config; database: Database; log: Logger; close(): Promise<void> };

/** Loads the config and opens (and migrates) the database for a process doing `purpose`. */
export async function openRuntime(purpose: string, opts: { quiet?: boolean; config?: Config } = {}): Promise<Runtime> {
  const config = opts.config ?? loadConfig();
  const log = createLogger(opts.quiet ? 'warn' : config.logLevel);
  const database = await openDatabase({
    url: config.database.url,
    dataDir: config.database.dataDir,
    poolSize: config.database.poolSize,
    purpose,
  });
  return { config, database, log, close: () => database.close() };
}
