// Bids for a sourcing event (`qm import bids <file> --event <n>`), in the long or the wide layout (bid-layout.ts).
// Each bid row is keyed to a line of the event: by its line number when given, else by its item code and description
// and their occurrence within that bidder's bid, so an item code on two lines of one bid is two lines. An event
// with no lines yet takes them from the first tabulation. Bidders resolve to suppliers by alias or exact name only;
// others become prospects, reported with the closest known names, never merged. Prices are stored as written: a
// line total that disagrees with quantity × unit price is flagged on the line, not corrected. Re-importing the same
// bids changes nothing (duplicates); a changed price replaces the bidder's line and counts as imported.
import { extname } from 'node:path';
import { appendAuditIn } from '../../audit/ledger.js';
import { findSupplierCandidates } from '../../db/queries/supplier-lookup.js';
import { bidderSupplier, eventLines, type EventLineRow, insertEventLines, requireSourcingEvent, setEventCurrency, type SourcingEventRow, upsertBid, upsertBidLine } from '../../db/sourcing.js';
import { normalizeSupplierName } from '../../domain/supplier-name.js';
import { AppError } from '../../errors.js';
import { pricedLine } from '../../sourcing/bids.js';
import { moveEvent } from '../../sourcing/events.js';
import { ACCEPTS_BIDS, STATUS_TEXT } from '../../sourcing/status.js';
import { type BidRow, bidderColumns, bidFields, isLongLayout, longRows, wideRows } from '../bid-layout.js';
import type { ImportContext, Importer } from '../context.js';
import { readCsv, sniffDelimiter } from '../csv.js';
import { detectEncoding, readText } from '../decode.js';
import { readJsonRecords } from '../json.js';
import { mapColumns, parseMapOption } from '../mapping.js';

/** Largest bid file read (a tabulation, not a ledger). */
const MAX_BYTES = 50 * 1024 * 1024;

type Table = { header: string[]; records: { line: number; cells: string[] }[]; unreadable: number };

async function readTable(ctx: ImportContext, path: string): Promise<Table> {
  let text = '';
  const encoding = await detectEncoding(path, ctx.options.encoding);
  for await (const chunk of readText(path, { encoding, onBytes: ctx.onBytes })) {
    text += chunk;
    if (text.length > MAX_BYTES) throw new AppError('import:too-large', `${path} is larger than ${MAX_BYTES / 1024 / 1024} MB; a bid tabulation should be far smaller.`);
  }
  if (text.trim() === '') throw new AppError('import:empty', 'The file is empty.');
  let unreadable = 0;
  if (extname(path).toLowerCase() === '.json') {
    const objects: { line: number; value: Record<string, unknown> }[] = [];
    for await (const rec of readJsonRecords((async function* () { yield text; })())) {
      if ('problem' in rec) {
        ctx.reject(rec.line, rec.reason, rec.raw);
        unreadable++;
      } else if (rec.value && typeof rec.value === 'object' && !Array.isArray(rec.value)) objects.push({ line: rec.line, value: rec.value as Record<string, unknown> });
      else {
        ctx.reject(rec.line, 'not an object', rec.raw);
        unreadable++;
      }
    }
    const header = [...new Set(objects.flatMap((o) => Object.keys(o.value)))];
    return { header, records: objects.map((o) => ({ line: o.line, cells: header.map((h) => (o.value[h] === undefined || o.value[h] === null ? '' : String(o.value[h]))) })), unreadable };
  }
  const delimiter = sniffDelimiter(text.split(/\r?\n/, 1)[0] ?? '');
  let header: string[] | undefined;
  const records: Table['records'] = [];
  for await (const item of readCsv((async function* () { yield text; })(), { delimiter })) {
    if ('problem' in item) {
      ctx.reject(item.line, item.reason, item.raw);
      unreadable++;
      continue;
    }
    if (!header) header = item.fields.map((f) => f.trim());
    else if (item.fields.some((f) => f.trim() !== '')) records.push({ line: item.line, cells: item.fields });
  }
  if (!header) throw new AppError('import:empty', 'The file has no header row.');
  return { header, records, unreadable };
}

const fold = (s: string | undefined) => (s ?? '').toLowerCase().replace(/\s+/g, ' ').trim();
const keyOf = (item: string | null | undefined, description: string | null | undefined) => `${fold(item ?? undefined)}\u0000${fold(description ?? undefined)}`;

/** Lines of the event for the rows of a tabulation: the event's own, or new ones from the rows (first import). */
function linesFromRows(rows: readonly BidRow[]): { lines: EventLineRow[]; problems: { line: number; reason: string }[] } {
  const lines: EventLineRow[] = [];
  const problems: { line: number; reason: string }[] = [];
  const byNo = new Map<number, EventLineRow>();
  const seen = new Map<string, number>(); // key → how many lines with it exist so far
  const perBidder = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (r.line !== undefined) {
      if (!byNo.has(r.line)) {
        if (!r.description && !r.item) continue;
        const l = { lineNo: r.line, itemCode: r.item ?? null, description: r.description ?? r.item!, quantity: r.quantity ?? null, unit: r.unit ?? null };
        byNo.set(r.line, l);
        lines.push(l);
      }
      continue;
    }
    const key = keyOf(r.item, r.description);
    const mine = perBidder.get(r.bidder) ?? new Map<string, number>();
    const occurrence = (mine.get(key) ?? 0) + 1;
    mine.set(key, occurrence);
    perBidder.set(r.bidder, mine);
    if (occurrence > (seen.get(key) ?? 0)) {
      seen.set(key, occurrence);
      lines.push({ lineNo: 0, itemCode: r.item ?? null, description: r.description ?? r.item!, quantity: r.quantity ?? null, unit: r.unit ?? null });
    }
  }
  if (byNo.size > 0 && lines.some((l) => l.lineNo === 0)) problems.push({ line: 0, reason: 'some rows give a line number and others do not' });
  let next = Math.max(0, ...[...byNo.keys()]);
  for (const l of lines) if (l.lineNo === 0) l.lineNo = ++next;
  return { lines: lines.sort((a, b) => a.lineNo - b.lineNo), problems };
}

/** The event line each row prices, or why none. */
function assignLines(rows: readonly BidRow[], lines: readonly EventLineRow[]): Map<BidRow, number | string> {
  const out = new Map<BidRow, number | string>();
  const byNo = new Map(lines.map((l) => [l.lineNo, l]));
  const byKey = new Map<string, number[]>();
  const byItem = new Map<string, number[]>();
  for (const l of lines) {
    const k = keyOf(l.itemCode, l.description);
    byKey.set(k, [...(byKey.get(k) ?? []), l.lineNo]);
    if (l.itemCode) byItem.set(fold(l.itemCode), [...(byItem.get(fold(l.itemCode)) ?? []), l.lineNo]);
  }
  const occurrences = new Map<string, number>();
  for (const r of rows) {
    if (r.line !== undefined) {
      out.set(r, byNo.has(r.line) ? r.line : `line ${r.line} is not a line of the event (it has ${lines.length} line${lines.length === 1 ? '' : 's'})`);
      continue;
    }
    // Item and description together; an item code alone when the row has no description.
    const candidates = r.description ? byKey.get(keyOf(r.item, r.description)) : r.item ? byItem.get(fold(r.item)) : undefined;
    const k = `${r.bidder}\u0001${r.description ? keyOf(r.item, r.description) : fold(r.item)}`;
    const n = (occurrences.get(k) ?? 0) + 1;
    occurrences.set(k, n);
    const lineNo = candidates?.[n - 1];
    out.set(
      r,
      lineNo ??
        (candidates
          ? `${r.bidder} prices "${r.item ?? r.description}" ${n} times but the event has it on ${candidates.length} line${candidates.length === 1 ? '' : 's'}`
          : `no line of the event has ${r.item ? `item ${r.item}` : ''}${r.item && r.description ? ' and ' : ''}${r.description ? `description "${r.description}"` : ''}`),
    );
  }
  return out;
}

/** Imports the bids of one file into the event named by --event. */
export const bidsImporter: Importer = {
  kind: 'bids',
  accepts: (path) => ['.csv', '.tsv', '.txt', '.json'].includes(extname(path).toLowerCase()),
  async importFile(ctx, path) {
    const ref = ctx.options.event;
    if (!ref) throw new AppError('import:usage', 'qm import bids needs --event <number|id>: the sourcing event the bids answer.');
    const event = await requireSourcingEvent(ctx.database, ref);
    if (!ACCEPTS_BIDS.includes(event.status)) {
      throw new AppError('import:event', `Event ${event.number} is ${STATUS_TEXT[event.status]}: bids can be imported once its RFx is issued and until it is awarded.`);
    }
    const table = await readTable(ctx, path);
    const map = mapColumns(table.header, bidFields, parseMapOption(ctx.options.map, bidFields));
    const laid = isLongLayout(map) ? longRows(table.records, map) : wideRows(table.records, map, bidderColumns(table.header, map));
    if (!isLongLayout(map) && bidderColumns(table.header, map).size === 0) {
      throw new AppError('import:mapping', `No bidder column and no bidders' price columns in the header (${table.header.join(', ')}). Name the bidder column with --map bidder=Column.`);
    }
    for (const p of laid.problems) ctx.reject(p.line, p.reason, table.records.find((r) => r.line === p.line)?.cells.join(','));
    const stored = await storeBids(ctx, event, laid.rows);
    // Every data row counts as read, the unreadable and the rejected ones too.
    return { ...stored, read: table.records.length + table.unreadable };
  },
};

async function storeBids(ctx: ImportContext, event: SourcingEventRow, rows: BidRow[]): Promise<{ imported: number; duplicates: number }> {
  let imported = 0;
  let duplicates = 0;
  const prospects: { bidder: string; similar: string[] }[] = [];
  const flagged: string[] = [];
  await ctx.database.transaction(async (tx) => {
    let lines = await eventLines(tx, event.id);
    if (lines.length === 0) {
      const made = linesFromRows(rows);
      if (made.problems.length > 0) throw new AppError('import:lines', `The event has no lines yet and the file cannot define them: ${made.problems[0]!.reason}.`);
      await insertEventLines(tx, event.id, made.lines);
      lines = made.lines;
    }
    const target = assignLines(rows, lines);
    const byNo = new Map(lines.map((l) => [l.lineNo, l]));
    const currencyOf = (r: BidRow) => r.currency ?? event.currency ?? ctx.options.currency ?? null;
    const good: BidRow[] = [];
    const taken = new Set<string>();
    for (const r of rows) {
      const t = target.get(r)!;
      const c = currencyOf(r);
      if (typeof t === 'string') ctx.reject(r.sourceLine, t);
      else if (!c) ctx.reject(r.sourceLine, 'no currency: give a currency column or --currency');
      else if (event.currency && c !== event.currency) ctx.reject(r.sourceLine, `${r.bidder} bids in ${c} but event ${event.number} is in ${event.currency}`);
      else if (taken.has(`${r.bidder}\u0000${t}`)) ctx.reject(r.sourceLine, `${r.bidder} prices line ${t} twice in this file`);
      else {
        taken.add(`${r.bidder}\u0000${t}`);
        good.push(r);
      }
    }
    const currency = good.map(currencyOf).find((c) => c !== null) ?? event.currency;
    if (currency && !event.currency) await setEventCurrency(tx, event.id, currency);
    const bidders = [...new Set(good.map((r) => r.bidder))];
    for (const bidder of bidders) {
      const supplier = await bidderSupplier(tx, bidder, normalizeSupplierName(bidder) || bidder.trim().toLowerCase());
      if (supplier.created) prospects.push({ bidder, similar: [] });
      const bid = await upsertBid(tx, { eventId: event.id, supplierId: supplier.id, bidder, currency: currency!, batchId: ctx.batchId });
      for (const r of good.filter((x) => x.bidder === bidder)) {
        const lineNo = target.get(r) as number;
        const flags: string[] = [];
        const p = pricedLine({ lineNo, quantity: r.quantity ?? null, unitPrice: r.unitPrice ?? null, lineTotal: r.lineTotal ?? null }, byNo.get(lineNo));
        if (p.totalMismatch) {
          flags.push('line_total_mismatch');
          flagged.push(`line ${r.sourceLine}: ${bidder}'s total ${p.totalMismatch.lineTotal} for line ${lineNo} is not quantity × unit price (${p.totalMismatch.computed})`);
        }
        const outcome = await upsertBidLine(tx, bid.id, {
          lineNo,
          itemCode: r.item ?? null,
          description: r.description ?? null,
          quantity: r.quantity ?? null,
          unit: r.unit ?? null,
          unitPrice: r.unitPrice ?? null,
          lineTotal: r.lineTotal ?? null,
          leadTimeDays: r.leadTimeDays ?? null,
          notes: r.notes ?? null,
          flags,
          sourceLine: r.sourceLine,
        });
        if (outcome === 'same') duplicates++;
        else imported++;
      }
    }
    if (good.length > 0 && event.status === 'rfx_issued') {
      await moveEvent(tx, event.id, 'bids_open', { actor: { type: 'system', id: 'import' }, cause: `The first bids arrived (import batch ${ctx.batchId}).` });
    }
    if (good.length > 0) {
      await appendAuditIn(tx, [
        {
          actorType: 'system',
          actor: 'import',
          action: 'sourcing_bids_imported',
          subjectType: 'sourcing_event',
          subjectId: event.id,
          rationale: `Imported bids from ${bidders.length} bidder${bidders.length === 1 ? '' : 's'} into event ${event.number}: ${imported} line${imported === 1 ? '' : 's'} new or changed, ${duplicates} unchanged${prospects.length ? `; new prospects: ${prospects.map((p) => p.bidder).join(', ')}` : ''}${flagged.length ? `; ${flagged.length} line total${flagged.length === 1 ? '' : 's'} disagree with quantity × unit price` : ''}.`,
          data: { number: event.number, batchId: ctx.batchId, bidders, lines: imported + duplicates, prospects: prospects.map((p) => p.bidder), flagged },
        },
      ]);
    }
  });
  for (const p of prospects) {
    const similar = (await findSupplierCandidates(ctx.database, p.bidder, 3)).filter((c) => c.score >= 0.6 && c.name !== p.bidder).map((c) => c.name);
    ctx.log.warn(`bidder "${p.bidder}" is a new prospect supplier${similar.length ? `; similar known suppliers: ${similar.join(', ')} (merge them yourself if they are the same company)` : ''}`);
  }
  for (const f of flagged) ctx.log.warn(f);
  return { imported, duplicates };
}
