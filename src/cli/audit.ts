// `qm audit verify|anchor|export|prune`: check the ledger's hash chain (or an evidence pack's), optionally against
// an anchor taken earlier; record the head as an anchor to keep outside the database; export a period as an
// evidence pack; apply retention. verify exits 0 when the chain holds (and reaches the anchor) and 1 naming the
// first broken event; anchor and export exit 1 when the ledger does not verify; usage mistakes, including an
// unreadable or malformed anchor file, exit 2.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { anchorNote, anchorOf, type LedgerAnchor, readAnchorFile } from '../audit/anchor.js';
import { writePack, verifyPackFile } from '../audit/export.js';
import { pruneLedger } from '../audit/prune.js';
import { type VerifyResult, verifyLedger } from '../audit/verify.js';
import { loadConfig } from '../config.js';
import { AppError, isAppError } from '../errors.js';
import { createApp } from '../runtime.js';

const DAY_MS = 86_400_000;

/**
 * Parses a --from/--to/--before value: a date (YYYY-MM-DD, UTC) or an ISO 8601 timestamp (UTC unless it names
 * an offset). A date as an end bound (`end: true`) means the end of that day, so `--to 2025-03-31` includes the 31st.
 */
export function parseDateOption(value: string, option: string, opts: { end?: boolean } = {}): Date {
  const v = value.trim();
  const hint = `${option} expects a date (2025-03-01) or an ISO timestamp (2025-03-01T09:30:00Z), got "${value}"`;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) throw new AppError('audit:usage', hint);
    return opts.end ? new Date(date.getTime() + DAY_MS) : date;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(v)) throw new AppError('audit:usage', hint);
  const date = new Date(/(Z|[+-]\d{2}:?\d{2})$/i.test(v) ? v : `${v}Z`);
  if (Number.isNaN(date.getTime())) throw new AppError('audit:usage', hint);
  return date;
}

/** Runs a command body, turning usage mistakes into exit code 2 with the message on stderr. */
export async function withUsageErrors(setExit: (code: number) => void, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (!isAppError(err, 'audit:usage')) throw err;
    process.stderr.write(`qm: ${err.message}\n`);
    setExit(2);
  }
}

/** The one-line verdict: `Audit ledger verified: …` on success, `Audit ledger broken at event #S (…): …` otherwise. */
export function verdictLine(result: VerifyResult): string {
  if (result.ok) {
    const head = result.head ? `, head #${result.head.seq} ${result.head.hash.slice(0, 12)}` : '';
    const anchor = result.anchor ? `; ${anchorNote(result.anchor)}` : '';
    return `Audit ledger verified: ${result.events} event${result.events === 1 ? '' : 's'}${head}${anchor}`;
  }
  const b = result.broken;
  const where = b.at === null ? 'missing' : `${b.at}, ${b.action}`;
  return `Audit ledger broken at event #${b.seq} (${where}): ${b.reason}`;
}

/** Writes `text` to `out` ('-' or absent: stdout), a file being written beside its target and renamed into place. */
async function writeOutput(out: string | undefined, text: string): Promise<void> {
  if (!out || out === '-') {
    process.stdout.write(text);
    return;
  }
  const partial = `${out}.partial`;
  try {
    await writeFile(partial, text);
    await rename(partial, out);
  } catch (err) {
    await rm(partial, { force: true });
    throw new AppError('audit:anchor', `Cannot write ${out}: ${(err as Error).message}`, { cause: err });
  }
}

/** Adds `qm audit verify`, `qm audit anchor`, `qm audit export` and `qm audit prune`. */
export function registerAudit(program: Command, setExit: (code: number) => void): void {
  const audit = program.command('audit').description('Verify, anchor, export and prune the hash-chained audit ledger');

  audit
    .command('verify')
    .description('Recompute the hash chain of the ledger (or of an evidence pack) and name the first broken event')
    .option('--file <pack>', 'verify an evidence pack (JSONL from qm audit export) instead of the database')
    .option('--anchor <file>', 'also require the chain to reach this anchor (JSON from qm audit anchor; - reads stdin)')
    .option('--json', 'print the result as JSON on stdout')
    .action((flags: { file?: string; anchor?: string; json?: boolean }) =>
      withUsageErrors(setExit, async () => {
        let result: VerifyResult;
        let label = '';
        if (flags.file) {
          if (flags.anchor) throw new AppError('audit:usage', '--anchor checks the ledger in the database; it cannot be combined with --file');
          const pack = await verifyPackFile(flags.file);
          const { header, ...rest } = pack;
          result = rest as VerifyResult;
          label = ` (evidence pack ${flags.file}, ${header.from} to ${header.to})`;
        } else {
          // Read before opening the database: a bad anchor file is a usage error, reported without touching it.
          const anchor = flags.anchor ? await readAnchorFile(flags.anchor) : undefined;
          const rt = await createApp(loadConfig(), { purpose: 'qm audit verify', quiet: flags.json });
          try {
            result = await verifyLedger(rt.database, { anchor });
          } finally {
            await rt.close();
          }
        }
        if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        if (result.ok) {
          if (!flags.json) process.stdout.write(`${verdictLine(result)}${label}\n`);
          setExit(0);
        } else {
          process.stderr.write(`${verdictLine(result)}${label}\n`);
          setExit(1);
        }
      }),
    );

  audit
    .command('anchor')
    .description('Verify the ledger and write its head as an anchor, {"seq","hash","at"}, to keep outside the database')
    .option('--out <file>', 'write the anchor to this file (- or absent: stdout)')
    .action((flags: { out?: string }) =>
      withUsageErrors(setExit, async () => {
        const rt = await createApp(loadConfig(), { purpose: 'qm audit anchor', quiet: true });
        let result: VerifyResult;
        try {
          // Only a chain that verifies is worth anchoring: an anchor vouches for everything before its head.
          result = await verifyLedger(rt.database);
        } finally {
          await rt.close();
        }
        if (!result.ok) {
          process.stderr.write(`${verdictLine(result)}\nqm: no anchor written: the ledger does not verify\n`);
          setExit(1);
          return;
        }
        if (!result.head) {
          process.stderr.write('qm: the audit ledger is empty: there is no head to anchor yet\n');
          setExit(1);
          return;
        }
        const anchor: LedgerAnchor = anchorOf(result.head, new Date());
        await writeOutput(flags.out, `${JSON.stringify(anchor)}\n`);
        if (flags.out && flags.out !== '-') {
          process.stderr.write(`Anchored head #${anchor.seq} ${anchor.hash.slice(0, 12)} at ${anchor.at} to ${flags.out}\n`);
        }
        setExit(0);
      }),
    );

  audit
    .command('export')
    .description('Write the events of a period as a JSONL evidence pack that can be verified offline')
    .requiredOption('--from <date>', 'start of the period: a date (UTC) or ISO timestamp, inclusive')
    .requiredOption('--to <date>', 'end of the period: a date (the whole day is included) or ISO timestamp, exclusive')
    .option('--out <file>', 'write to this file instead of stdout')
    .action((flags: { from: string; to: string; out?: string }) =>
      withUsageErrors(setExit, async () => {
        const range = { from: parseDateOption(flags.from, '--from'), to: parseDateOption(flags.to, '--to', { end: true }) };
        if (!(range.from < range.to)) throw new AppError('audit:usage', '--from must be before --to');
        const rt = await createApp(loadConfig(), { purpose: 'qm audit export', quiet: true });
        let summary: Awaited<ReturnType<typeof writePack>>;
        try {
          if (!flags.out) {
            summary = await writePack(rt.database, range, process.stdout);
          } else {
            // Written beside the target and renamed at the end: a failed export leaves no half-written pack.
            const partial = `${flags.out}.partial`;
            const file = createWriteStream(partial);
            file.on('error', () => {}); // surfaced by once() and finished() below, not as an uncaught event
            try {
              await once(file, 'open');
            } catch (err) {
              throw new AppError('audit:export', `Cannot write ${flags.out}: ${(err as Error).message}`, { cause: err });
            }
            try {
              summary = await writePack(rt.database, range, file);
              file.end();
              await finished(file);
              await rename(partial, flags.out);
              const span = summary.firstSeq === null ? 'no events' : `${summary.events} events, #${summary.firstSeq}–#${summary.lastSeq}`;
              const head = summary.headHash ? `, head ${summary.headHash.slice(0, 12)}` : '';
              const anchor = summary.anchor ? `; the footer anchors the ledger's head #${summary.anchor.seq} ${summary.anchor.hash.slice(0, 12)}` : '';
              process.stderr.write(`Exported ${span}${head} for ${range.from.toISOString()} to ${range.to.toISOString()} to ${flags.out}${anchor}\n`);
            } catch (err) {
              file.destroy();
              await rm(partial, { force: true });
              throw err;
            }
          }
        } finally {
          await rt.close();
        }
        if (!summary.ledger.ok) {
          // The pack is still written: it is evidence of what the database holds, and its footer marks the break.
          process.stderr.write(
            `${verdictLine(summary.ledger)}\nqm: the evidence pack was written${flags.out ? ` to ${flags.out}` : ''}, but the ledger ` +
              'it comes from does not verify; its footer records the break and the pack will not verify\n',
          );
          setExit(1);
          return;
        }
        setExit(0);
      }),
    );

  audit
    .command('prune')
    .description('Remove audit events older than the retention period (QM_AUDIT_RETENTION_DAYS) or --before')
    .option('--before <date>', 'remove events older than this date or ISO timestamp')
    .option('--json', 'print the result as JSON on stdout')
    .action((flags: { before?: string; json?: boolean }) =>
      withUsageErrors(setExit, async () => {
        const config = loadConfig();
        const days = config.audit.retentionDays;
        if (!flags.before && days === undefined) {
          throw new AppError(
            'audit:usage',
            'no retention period: audit events are kept forever unless QM_AUDIT_RETENTION_DAYS is set (e.g. 2555 for 7 years) or --before <date> is given',
          );
        }
        const cutoff = flags.before ? parseDateOption(flags.before, '--before') : new Date(Date.now() - days! * DAY_MS);
        const rt = await createApp(config, { purpose: 'qm audit prune', quiet: flags.json });
        try {
          const result = await pruneLedger(rt.database, cutoff);
          if (flags.json) {
            const { event, ...rest } = result as typeof result & { event?: { seq: number } };
            process.stdout.write(`${JSON.stringify({ ...rest, ...(event ? { eventSeq: event.seq } : {}) })}\n`);
          } else if ('event' in result) {
            process.stdout.write(
              `Pruned ${result.removed} audit events older than ${result.cutoff} (before #${result.beforeSeq}); ` +
                `event #${result.event.seq} records the anchor ${result.anchorHash.slice(0, 12)}\n`,
            );
          } else {
            process.stdout.write(`Nothing to prune: no audit events older than ${result.cutoff}\n`);
          }
          setExit(0);
        } finally {
          await rt.close();
        }
      }),
    );
}
