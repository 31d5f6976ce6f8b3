// Risk signals from a file (CSV or JSON) with the fields of POST /signals: supplier, kind, severity (1-5), title,
// detail, source, observed_at, external_id. Each row is matched to its supplier and stored once (by external id,
// or by its content when it has none), so importing the same file again adds nothing.
import { type SignalInput, parseSignal, storeSignals } from '../signals.js';
import type { Importer } from '../context.js';
import type { FieldSpec } from '../mapping.js';
import { isTabularFile, readableRecords } from '../records.js';

export const signalFields: FieldSpec = {
  supplier: {
    required: true,
    aliases: ['supplier', 'supplier name', 'supplier id', 'vendor', 'vendor name', 'company', 'counterparty', 'entity', 'name'],
  },
  kind: { required: true, aliases: ['kind', 'type', 'signal type', 'risk type', 'category', 'risk category'] },
  severity: { required: true, aliases: ['severity', 'level', 'risk level', 'severity level', 'rating'] },
  title: { required: true, aliases: ['title', 'headline', 'event', 'subject', 'summary'] },
  detail: { aliases: ['detail', 'details', 'description', 'body', 'text', 'notes'] },
  source: { aliases: ['source', 'feed', 'provider', 'publisher'] },
  observed_at: { aliases: ['observed at', 'observed', 'observed on', 'date', 'event date', 'published', 'published at', 'timestamp'] },
  external_id: { aliases: ['external id', 'signal id', 'event id', 'id', 'reference', 'ref'] },
};

// Rows are matched and stored in batches of this many.
const BATCH = 500;

/** Imports risk signals; findings follow when the supplier-risk monitor runs (qm import runs it afterwards). */
export const signalsImporter: Importer = {
  kind: 'signals',
  accepts: isTabularFile,
  async importFile(ctx, path) {
    const out = { read: 0, imported: 0, duplicates: 0 };
    const now = new Date();
    let batch: SignalInput[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      for (const r of await storeSignals(ctx.database, batch, now)) {
        if (r.created) out.imported++;
        else out.duplicates++;
      }
      batch = [];
    };
    for await (const rec of readableRecords(ctx, path, signalFields, out)) {
      const v = rec.values;
      const parsed = parseSignal(
        {
          supplier: v.supplier,
          kind: v.kind,
          severity: v.severity,
          title: v.title,
          detail: v.detail,
          source: v.source,
          observedAt: v.observed_at,
          externalId: v.external_id,
        },
        now,
        ctx.options.dateOrder ?? 'dmy',
      );
      if (!parsed.ok) {
        ctx.reject(rec.line, parsed.errors.join('; '), rec.raw);
        continue;
      }
      batch.push(parsed.value);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    ctx.log.info('risk signals imported', { file: path, imported: out.imported, duplicates: out.duplicates });
    return out;
  },
};
