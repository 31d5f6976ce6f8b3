// Staging spend rows for a load: the staging tables, the rows' de-duplication hash, and the COPY encoder.
import { hash } from 'node:crypto';
import type { Connection } from './client.js';

export const SPEND_STAGE_COLUMNS = [
  'line',
  'supplier_raw',
  'date',
  'amount',
  'currency',
  'category',
  'department',
  'cost_centre',
  'description',
  'invoice_number',
  'po_number',
  'external_id',
  'hash',
  'again',
] as const;

export type StagedSpend = {
  line: number;
  supplier: string;
  /** yyyy-mm-dd */
  date: string;
  /** Canonical decimal: digits, an optional minus sign and decimal point. */
  amount: string;
  /** ISO 4217 code. */
  currency: string;
  category?: string;
  department?: string;
  cost_centre?: string;
  description?: string;
  invoice_number?: string;
  po_number?: string;
  external_id?: string;
};

/** What the encoder saw in one staged chunk: its rows, how many are marked `again`, supplier names new to the file. */
export type StagedChunk = { rows: number; again: number; suppliers: string[] };

/**
 * Creates an empty staging table for one chunk of a batch's spend rows and returns its name. It is an unlogged
 * ordinary table rather than a temp table: another connection loads it while the next chunk is being copied, and
 * COPY into it runs through shared buffers without WAL; it is dropped when the batch commits or fails. Each row carries its de-duplication hash and
 * whether an earlier row of the file may have been identical (`again`), both worked out by the encoder. Amounts
 * take spend_lines' type, so a staged row totals exactly as the line it becomes.
 */
export async function createSpendStage(conn: Connection, batchId: number, chunk: number): Promise<string> {
  const table = `spend_stage_${batchId}_${chunk}`;
  await conn.query(`drop table if exists ${table}`);
  await conn.query(
    `create unlogged table ${table} (
       line integer not null, supplier_raw text not null, date text not null, amount numeric(20, 4) not null,
       currency text not null, category text, department text, cost_centre text, description text,
       invoice_number text, po_number text, external_id text, hash uuid not null, again boolean not null)`,
  );
  return table;
}

/** Where totalStaged left a batch's staged rows' totals: two unlogged tables. */
export type StagedTotals = { days: string; suppliers: string };

/**
 * Totals a batch's staged rows per rollup key, the totals of the lines a load adds less those of the rows it does
 * not store (which it totals itself): per day, currency, category and department (`days`: date, currency, category,
 * category_code, department, amount, n), and per supplier name, month, currency and category (`suppliers`:
 * supplier_raw, date, currency, category, category_code, amount, n), each in an unlogged table the loading
 * connection reads. Dropped with the stages (dropStaged). `loading` says the connection is the loading one, inside
 * the load's transaction.
 */
export async function totalStaged(
  conn: Connection,
  batchId: number,
  stages: readonly string[],
  loading = false,
): Promise<StagedTotals> {
  const { days, suppliers } = totalsTables(batchId);
  const all = stages
    .map((t) => `select date, currency, category, department, supplier_raw, amount from ${t}`)
    .join(' union all ');
  if (!loading) await conn.query('begin');
  try {
    // Tens of thousands of keys: hashed in memory rather than spilled to disk at the default 4 MB.
    await conn.query(`set local work_mem = '64MB'`);
    await conn.query(`drop table if exists ${days}, ${suppliers}`);
    await conn.query(
      `create unlogged table ${days} as
       select date::date as date, currency, category, null::text as category_code, department, sum(amount) as amount,
              count(*) as n
         from (${all}) s group by 1, 2, 3, 5`,
    );
    await conn.query(
      `create unlogged table ${suppliers} as
       select supplier_raw, (left(date, 7) || '-01')::date as date, currency, category, null::text as category_code,
              sum(amount) as amount, count(*) as n
         from (${all}) s group by 1, 2, 3, 4`,
    );
    if (!loading) await conn.query('commit');
  } catch (err) {
    if (!loading) await conn.query('rollback').catch(() => {});
    throw err;
  }
  return { days, suppliers };
}

/** Where numberRepeats left a batch's repeats, and how many staged rows were marked `again`. */
export type NumberedRepeats = { table: string; marked: number };

/**
 * Numbers the repeats among a batch's staged rows: every row of a hash that some row marked `again` carries, with
 * its occurrence number among the file's rows of that hash (`seq`, in line order), in an unlogged table; undefined
 * when no row is marked (`marked` counts them). Every repeat is marked, so these are all the rows that need
 * numbering. Done on the staging connection while the loading one works through the last chunks; dropped with the
 * stages (dropStaged).
 */
export async function numberRepeats(
  conn: Connection,
  batchId: number,
  stages: readonly string[],
  marked: number,
): Promise<NumberedRepeats | undefined> {
  if (marked === 0 || stages.length === 0) return undefined;
  const table = repeatsTable(batchId);
  const all = stages.map((t) => `select * from ${t}`).join(' union all ');
  await conn.query(`drop table if exists ${table}`);
  await conn.query(
    `create unlogged table ${table} as
     select *, row_number() over (partition by hash order by line)::int as seq from (${all}) x
      where hash in (select hash from (${all}) y where again)`,
  );
  return { table, marked };
}

function repeatsTable(batchId: number): string {
  return `spend_repeats_${batchId}`;
}

function totalsTables(batchId: number): StagedTotals {
  return { days: `spend_totals_${batchId}_days`, suppliers: `spend_totals_${batchId}_suppliers` };
}

/** Drops a batch's staging tables, its numbered repeats and its totals. */
export async function dropStaged(conn: Connection, batchId: number, stages: readonly string[]): Promise<void> {
  const { days, suppliers } = totalsTables(batchId);
  for (const table of [...stages, repeatsTable(batchId), days, suppliers]) {
    await conn.query(`drop table if exists ${table}`);
  }
}

/**
 * The de-duplication hash of a row, as 32 hex digits: the md5 of its canonical content (date, supplier, amount
 * without trailing zeros, currency and the optional texts, '' when absent, joined by U+001F). Every version has
 * stored this hash, so lines imported earlier are recognised; test/integration/spend-dedup-hash.test.ts checks it
 * against the stored lines.
 */
export function spendRowHash(r: StagedSpend): string {
  return hash(
    'md5',
    `${r.date}\u001f${r.supplier}\u001f${canonicalAmount(r.amount)}\u001f${r.currency}\u001f${r.category ?? ''}\u001f${
      r.department ?? ''
    }\u001f${r.cost_centre ?? ''}\u001f${r.description ?? ''}\u001f${r.invoice_number ?? ''}\u001f${r.po_number ?? ''}\u001f${
      r.external_id ?? ''
    }`,
  );
}

/** A canonical decimal as PostgreSQL's trim_scale prints it: no trailing zeros after the point, "-0" is "0". */
function canonicalAmount(a: string): string {
  if (!a.includes('.')) return a === '-0' ? '0' : a;
  let end = a.length;
  while (a.charCodeAt(end - 1) === 0x30) end--;
  if (a.charCodeAt(end - 1) === 0x2e) end--;
  const t = a.slice(0, end);
  return t === '-0' ? '0' : t;
}

const COMMA = 0x2c;
const QUOTE = 0x22;
const NEWLINE = 0x0a;
const T = 0x74;
const F = 0x66;
const CHUNK_BYTES = 1 << 20;

/** Bits of the filter that spots rows possibly seen before in a file: 2^26 bits, 8 MB. */
const REPEAT_FILTER_BITS = 26;

/**
 * Encodes validated rows as COPY CSV lines of the staging table (SPEND_STAGE_COLUMNS order) straight into UTF-8
 * bytes: building a string per row, or joining many small ones, costs more than reading and validating the file.
 * Date, amount and currency are canonical (no quote, comma or line break can occur in them); text never holds
 * NUL (the reader rejects such rows). Text is always quoted, so an empty string stays one; absent is NULL.
 *
 * It also hashes each row (spendRowHash) and marks it `again` when a one-bit-per-hash filter has seen its hash
 * before in this file: every repeat of an earlier row is marked (and some other rows, when two hashes share a
 * bit), so a row not marked is the first of its kind and the database numbers only the marked hashes' rows. It
 * collects the supplier names too, so neither needs a pass over the staged rows.
 */
export class SpendStageEncoder {
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  private pos = 0;
  private readonly seen: Uint8Array;
  private readonly shift: number;
  private readonly suppliers = new Set<string>();
  private chunk: StagedChunk = { rows: 0, again: 0, suppliers: [] };

  /** `filterBits` (at most 32) sizes the repeat filter; fewer bits mark more rows, never fewer true repeats. */
  constructor(filterBits = REPEAT_FILTER_BITS) {
    this.seen = new Uint8Array(Math.max(1, 2 ** (filterBits - 3)));
    this.shift = 32 - filterBits;
  }

  /** Appends one row; returns a full chunk to send when the buffer had to make room, else undefined. */
  push(r: StagedSpend): Uint8Array | undefined {
    // Worst case: 3 UTF-8 bytes per UTF-16 unit, every one a doubled quote.
    const worst =
      136 +
      r.date.length +
      r.amount.length +
      r.currency.length +
      6 *
        (r.supplier.length + (r.category?.length ?? 0) + (r.department?.length ?? 0) + (r.cost_centre?.length ?? 0) +
          (r.description?.length ?? 0) + (r.invoice_number?.length ?? 0) + (r.po_number?.length ?? 0) +
          (r.external_id?.length ?? 0));
    let full: Uint8Array | undefined;
    if (this.pos + worst > this.buf.length) {
      full = this.take();
      if (worst > this.buf.length) this.buf = Buffer.allocUnsafe(worst);
    }
    const hex = spendRowHash(r);
    const bit = this.shift === 32 ? 0 : Number.parseInt(hex.slice(0, 8), 16) >>> this.shift;
    const mask = 1 << (bit & 7);
    const byte = this.seen[bit >>> 3]!;
    const again = (byte & mask) !== 0;
    this.seen[bit >>> 3] = byte | mask;
    if (again) this.chunk.again++;
    this.chunk.rows++;
    if (!this.suppliers.has(r.supplier)) {
      this.suppliers.add(r.supplier);
      this.chunk.suppliers.push(r.supplier);
    }
    // Byte by byte: Buffer#write costs more per call than these short, mostly ASCII fields take to copy.
    const b = this.buf;
    let p = ascii(b, this.pos, String(r.line));
    p = text(b, p, r.supplier);
    b[p++] = COMMA;
    p = ascii(b, p, r.date);
    b[p++] = COMMA;
    p = ascii(b, p, r.amount);
    b[p++] = COMMA;
    p = ascii(b, p, r.currency);
    p = text(b, p, r.category);
    p = text(b, p, r.department);
    p = text(b, p, r.cost_centre);
    p = text(b, p, r.description);
    p = text(b, p, r.invoice_number);
    p = text(b, p, r.po_number);
    p = text(b, p, r.external_id);
    b[p++] = COMMA;
    p = ascii(b, p, hex);
    b[p++] = COMMA;
    b[p++] = again ? T : F;
    b[p++] = NEWLINE;
    this.pos = p;
    return full;
  }

  /** Rows encoded since the last endChunk. */
  get chunkRows(): number {
    return this.chunk.rows;
  }

  /** What the rows encoded since the last call held; starts the next chunk. */
  endChunk(): StagedChunk {
    const done = this.chunk;
    this.chunk = { rows: 0, again: 0, suppliers: [] };
    return done;
  }

  /** The bytes encoded since the last take (undefined when none), leaving an empty buffer. */
  take(): Uint8Array | undefined {
    if (this.pos === 0) return undefined;
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(CHUNK_BYTES);
    this.pos = 0;
    return out;
  }
}

/** Writes a string known to be ASCII at `p`; returns the position after it. */
function ascii(b: Buffer, p: number, s: string): number {
  for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
  return p;
}

/** Writes `,` then the text quoted (quotes doubled), or nothing more when absent; returns the position after it. */
function text(b: Buffer, p: number, v: string | undefined): number {
  b[p++] = COMMA;
  if (v === undefined) return p;
  b[p++] = QUOTE;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0x80) {
      // The rest holds non-ASCII text: let the UTF-8 encoder take it from here.
      p += b.write(v.slice(i).replaceAll('"', '""'), p, 'utf8');
      break;
    }
    b[p++] = c;
    if (c === QUOTE) b[p++] = QUOTE;
  }
  b[p++] = QUOTE;
  return p;
}
