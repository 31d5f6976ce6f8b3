// Spend (payments, card transactions, AP lines): streamed, validated, staged with COPY, loaded set-based.
import { basename } from 'node:path';
import { commitSpendStage, createSpendStage, dropSpendStage, SPEND_STAGE_COLUMNS, SpendStageEncoder } from '../../db/spend.js';
import type { Importer } from '../context.js';
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

/** Imports spend lines; suppliers are resolved by name and created when new. */
export const spendImporter: Importer = {
  kind: 'spend',
  accepts: isTabularFile,
  async importFile(ctx, path) {
    const validate = spendRowValidator(ctx.options.dateOrder ?? 'dmy');
    const overrides = parseMapOption(ctx.options.map, spendFields);
    let read = 0;
    // Yields COPY bytes in chunks of about 1 MB: per-row awaits and per-row strings would dominate the cost.
    const chunks = async function* () {
      const encoder = new SpendStageEncoder();
      for await (const batch of readRecordBatches(path, {
        fields: spendFields,
        overrides,
        encoding: ctx.options.encoding,
        onBytes: ctx.onBytes,
      })) {
        for (const rec of batch) {
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
          const full = encoder.push({ ...row, line: rec.line, amount: row.amount.amount, currency: cur });
          if (full) yield full;
        }
      }
      const rest = encoder.take();
      if (rest) yield rest;
    };
    return ctx.database.withConnection(async (conn) => {
      const stage = await createSpendStage(conn, ctx.batchId);
      try {
        const started = performance.now();
        await conn.copyIn(stage, SPEND_STAGE_COLUMNS, chunks());
        const staging = performance.now();
        const { staged, inserted, bulk, steps } = await commitSpendStage(conn, stage, ctx.batchId, basename(path), ctx.options.bulkLoad);
        ctx.log.debug('spend import timings', {
          stageMs: Math.round(staging - started),
          commitMs: Math.round(performance.now() - staging),
          rows: staged,
          bulk,
          ...steps,
        });
        return { read, imported: inserted, duplicates: staged - inserted };
      } finally {
        await dropSpendStage(conn, stage);
      }
    });
  },
};
