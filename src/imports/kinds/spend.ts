// Spend (payments, card transactions, AP lines): streamed, validated, staged with COPY in chunks, loaded set-based.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Connection } from '../../db/client.js';
import { beginSpendLoad, type SpendLoad } from '../../db/spend.js';
import {
  createSpendStage,
  dropStaged,
  type NumberedRepeats,
  numberRepeats,
  SPEND_STAGE_COLUMNS,
  SpendStageEncoder,
  type StagedChunk,
  type StagedTotals,
  totalStaged,
} from '../../db/spend-stage.js';
import type { FileOutcome, Importer } from '../context.js';
import { parseMapOption, type FieldSpec } from '../mapping.js';
import { isTabularFile, readRecordBatches } from '../records.js';
import { spendRowValidator } from './spend-row.js';

export const spendFields: FieldSpec = {
  date: {
    required: true,
    aliases: ['date', 'payment date', 'transaction date', 'posting date', 'paid date', 'value date', 'clearing date',
      'invoice date', 'document date', 'doc date', 'period'],
  },
  supplier: {
    required: true,
    aliases: ['supplier', 'supplier name', 'vendor', 'vendor name', 'payee', 'payee name', 'merchant', 'merchant name',
      'beneficiary', 'creditor', 'creditor name', 'supplier_name', 'company'],
  },
  amount: {
    required: true,
    aliases: ['amount', 'amount gbp', 'amount (£)', 'amount eur', 'amount usd', 'net amount', 'value', 'total',
      'amount paid', 'paid amount', 'net', 'gross amount', 'gross', 'spend', 'transaction amount', 'invoice amount',
      'line amount', 'amount excl vat', 'sum'],
  },
  currency: { aliases: ['currency', 'currency code', 'ccy', 'cur', 'transaction currency'] },
  category: {
    aliases: ['category', 'expense type', 'expense category', 'account description', 'expenditure type',
      'spend category', 'category description', 'account name', 'cost element', 'subjective description',
      'merchant category', 'procurement category'],
  },
  department: { aliases: ['department', 'directorate', 'division', 'business unit', 'service', 'entity', 'body name'] },
  cost_centre: {
    aliases: ['cost centre', 'cost center', 'cost centre code', 'cost center code', 'cost centre name', 'expense area'],
  },
  description: { aliases: ['description', 'line description', 'details', 'narrative', 'purpose', 'item description', 'memo'] },
  invoice_number: {
    aliases: ['invoice number', 'invoice no', 'invoice', 'invoice ref', 'invoice reference', 'invoice id', 'doc no',
      'docno', 'document number', 'transaction number'],
  },
  po_number: { aliases: ['po number', 'po', 'purchase order', 'purchase order number', 'po no', 'order number'] },
  external_id: {
    aliases: ['id', 'transaction id', 'payment id', 'line id', 'transaction reference', 'payment reference', 'external id'],
  },
};

/** Rows per staged chunk: each is moved into spend_lines while the next is read. */
const CHUNK_ROWS = 100_000;
/** Rows in the first chunk: loading starts once it is staged. */
const FIRST_CHUNK_ROWS = 20_000;

/**
 * Imports spend lines; suppliers are resolved by name and created when new. The file is staged in chunks: on a
 * PostgreSQL server one connection copies the next chunk while another moves the last one into spend_lines
 * (in one transaction), so reading, staging and loading run side by side; on the embedded database, in turn.
 */
export const spendImporter: Importer = {
  kind: 'spend',
  accepts: isTabularFile,
  async importFile(ctx, path) {
    const validate = spendRowValidator(ctx.options.dateOrder ?? 'dmy');
    const overrides = parseMapOption(ctx.options.map, spendFields);
    const chunkRows = ctx.options.chunkRows ?? CHUNK_ROWS;
    const groupChunks = ctx.options.groupChunks ?? 1;
    const fileBytes = (await stat(path)).size;
    let bytesRead = 0;
    let read = 0;
    const encoder = new SpendStageEncoder(ctx.options.repeatFilterBits);
    const records = readRecordBatches(path, {
      fields: spendFields,
      overrides,
      encoding: ctx.options.encoding,
      onBytes: (n) => {
        bytesRead += n;
        ctx.onBytes(n);
      },
    })[Symbol.asyncIterator]();
    let batch: Awaited<ReturnType<typeof records.next>>['value'] = [];
    let next = 0;
    let exhausted = false;
    let firstChunk = true;
    // Yields the COPY bytes of the next chunk in pieces of about 1 MB (per-row awaits and strings would dominate
    // the cost), stopping after chunkRows staged rows or at the end of the file.
    const chunk = async function* () {
      // The first chunk is smaller, so that loading starts sooner.
      const limit = firstChunk ? Math.min(chunkRows, FIRST_CHUNK_ROWS) : chunkRows;
      firstChunk = false;
      while (encoder.chunkRows < limit) {
        if (next >= batch.length) {
          const step = await records.next();
          if (step.done) {
            exhausted = true;
            break;
          }
          batch = step.value;
          next = 0;
          continue;
        }
        const rec = batch[next++]!;
        read++;
        if ('problem' in rec) {
          ctx.reject(rec.line, rec.reason, rec.raw);
          continue;
        }
        const v = validate(rec.values);
        if (!v.ok) {
          ctx.reject(rec.line, v.reason, rec.raw);
          continue;
        }
        const row = v.value;
        const cur = row.currency ?? row.amount.currency ?? ctx.options.currency;
        if (!cur) {
          ctx.reject(rec.line, 'missing currency: the row names none and no --currency was given', rec.raw);
          continue;
        }
        if (row.currency && row.amount.currency && row.currency !== row.amount.currency) {
          ctx.reject(rec.line, `currency ${row.currency} contradicts the amount's ${row.amount.currency}`, rec.raw);
          continue;
        }
        // Spelled out rather than spread: a spread row's shape costs the encoder slow property reads on every row.
        const full = encoder.push({
          line: rec.line,
          supplier: row.supplier,
          date: row.date,
          amount: row.amount.amount,
          currency: cur,
          category: row.category,
          department: row.department,
          cost_centre: row.cost_centre,
          description: row.description,
          invoice_number: row.invoice_number,
          po_number: row.po_number,
          external_id: row.external_id,
        });
        if (full) yield full;
      }
      const rest = encoder.take();
      if (rest) yield rest;
    };

    const sideBySide = ctx.database.kind === 'postgres';
    const run = async (stager: Connection, loader: Connection): Promise<FileOutcome> => {
      const stages: string[] = [];
      const waiting: { stage: string; chunk: StagedChunk }[] = [];
      let load: SpendLoad | undefined;
      let loading: Promise<void> = Promise.resolve();
      let failed = false;
      const started = performance.now();
      let stagedRows = 0;
      let totals: Promise<StagedTotals> | undefined;
      let repeats: Promise<NumberedRepeats | undefined> | undefined;
      let marked = 0;
      try {
        do {
          const stage = await createSpendStage(stager, ctx.batchId, stages.length);
          stages.push(stage);
          await stager.copyIn(stage, SPEND_STAGE_COLUMNS, chunk());
          const staged = encoder.endChunk();
          stagedRows += staged.rows;
          marked += staged.again;
          if (!load) {
            // The first chunk tells how many rows the file holds, near enough to choose how to load it.
            const expectedRows = exhausted ? stagedRows : Math.round((stagedRows * fileBytes) / Math.max(bytesRead, 1));
            load = await beginSpendLoad(loader, {
              batchId: ctx.batchId,
              sourceFile: basename(path),
              expectedRows,
              bulkLoad: ctx.options.bulkLoad,
            });
          }
          const into = load;
          waiting.push({ stage, chunk: staged });
          // Whenever the load is free it takes every chunk staged meanwhile, in one statement: each statement
          // sweeps spend_lines' indexes once, so fewer and larger ones cost less when the table is large.
          if (waiting.length >= groupChunks || exhausted) {
            loading = loading.then(async () => {
              const group = waiting.splice(0, waiting.length);
              if (group.length === 0) return;
              await into.add(group).catch((err: unknown) => {
                failed = true;
                throw err;
              });
            });
          }
          // On one connection, loading waits for each chunk; on two, the next chunk is staged meanwhile.
          if (!sideBySide) await loading;
        } while (!exhausted && !failed);
        // The repeats are numbered and the staged rows totalled (the load moves the rollups by these totals): on two
        // connections while the last chunks are loaded (and a bulk load's indexes rebuilt).
        repeats = numberRepeats(stager, ctx.batchId, stages, marked);
        if (!sideBySide) await repeats;
        const numbered = repeats;
        totals = numbered.then(() => totalStaged(stager, ctx.batchId, stages, !sideBySide));
        // Both are awaited later (by finish, or below when the load fails): a failure meanwhile is theirs to report,
        // not an unhandled rejection.
        numbered.catch(() => {});
        totals.catch(() => {});
        if (!sideBySide) await totals;
        await loading;
        const stagedMs = performance.now() - started;
        const { inserted, steps } = await load!.finish({ repeats: numbered, totals });
        ctx.log.debug('spend import timings', {
          stageMs: Math.round(stagedMs),
          commitMs: Math.round(performance.now() - started - stagedMs),
          rows: stagedRows,
          chunks: stages.length,
          bulk: load!.bulk,
          ...steps,
        });
        return { read, imported: inserted, duplicates: stagedRows - inserted };
      } catch (err) {
        await loading.catch(() => {});
        await load?.abort();
        throw err;
      } finally {
        await repeats?.catch(() => {});
        await totals?.catch(() => {});
        await dropStaged(stager, ctx.batchId, stages);
      }
    };
    return sideBySide
      ? ctx.database.withConnection((loader) => ctx.database.withConnection((stager) => run(stager, loader)))
      : ctx.database.withConnection((conn) => run(conn, conn));
  },
};
