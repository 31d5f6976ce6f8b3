// Child process of bench/import.ts: imports one spend file and prints its counts and its own peak RSS.
import { openDatabase } from '../src/db/client.js';
import { runImport } from '../src/imports/run.js';
import { createLogger } from '../src/log.js';

const [url, file] = process.argv.slice(2);
const database = await openDatabase({ url, poolSize: 2 });
const started = performance.now();
const report = await runImport({ database, log: createLogger('debug') }, 'spend', file!, { currency: 'GBP' });
const ms = performance.now() - started;
await database.close();
process.stdout.write(
  `${JSON.stringify({ read: report.read, imported: report.imported, rejected: report.rejected.length, ms, maxRssKb: process.resourceUsage().maxRSS })}\n`,
);
