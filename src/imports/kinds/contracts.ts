// Contracts: plain-text documents (.txt/.md), whose key terms are extracted with quotable clauses, and CSV/JSON
// metadata files, whose rows may point at such a text and add contracted prices.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { z } from 'zod';
import {
  batchSource,
  type ContractStatus,
  type NewContract,
  type NewContractClause,
  type NewContractPrice,
  storeContracts,
} from '../../db/contracts.js';
import { AppError } from '../../errors.js';
import type { ImportContext, Importer } from '../context.js';
import { amount, currency, email, isoDate, optional, validate } from '../fields.js';
import { type FieldSpec, parseMapOption } from '../mapping.js';
import { readRecords, type SourceRecord } from '../records.js';
import { parseDate } from '../values.js';
import { rowCurrency } from './purchase-orders.js';

const DOCUMENT_EXTENSIONS = ['.txt', '.md', '.markdown'];
const METADATA_EXTENSIONS = ['.csv', '.tsv', '.json'];

export const contractFields: FieldSpec = {
  contract_number: {
    aliases: ['contract number', 'contract no', 'contract #', 'contract id', 'contract ref', 'contract reference',
      'contract_number', 'agreement number', 'agreement no', 'contract', 'reference'],
  },
  title: { aliases: ['title', 'contract title', 'contract name', 'agreement name', 'agreement title', 'name', 'subject'] },
  supplier: {
    aliases: ['supplier', 'supplier name', 'vendor', 'vendor name', 'counterparty', 'counter party', 'contractor',
      'supplier_name'],
  },
  start_date: {
    aliases: ['start date', 'start', 'effective date', 'commencement date', 'valid from', 'from', 'start_date'],
  },
  end_date: {
    aliases: ['end date', 'end', 'expiry date', 'expiration date', 'expiry', 'valid to', 'valid until', 'to',
      'termination date', 'end_date'],
  },
  value: { aliases: ['value', 'contract value', 'total value', 'total contract value', 'tcv', 'annual value', 'acv'] },
  currency: { aliases: ['currency', 'currency code', 'ccy', 'cur'] },
  notice_period_days: {
    aliases: ['notice period days', 'notice period (days)', 'notice days', 'notice period', 'notice',
      'notice_period_days'],
  },
  auto_renew: {
    aliases: ['auto renew', 'auto renewal', 'auto-renew', 'automatic renewal', 'auto renews', 'renews automatically',
      'evergreen', 'auto_renew'],
  },
  renewal_term: { aliases: ['renewal term', 'renewal period', 'renewal_term'] },
  governing_law: { aliases: ['governing law', 'law', 'jurisdiction', 'governing_law'] },
  owner: { aliases: ['owner', 'owner email', 'contract owner', 'contract manager', 'manager', 'owner_email'] },
  category: { aliases: ['category', 'category code', 'unspsc', 'unspsc code', 'commodity code', 'category_code'] },
  status: { aliases: ['status', 'contract status'] },
  text_file: {
    aliases: ['text file', 'text_file', 'text path', 'file', 'file name', 'filename', 'document', 'document file',
      'document path', 'path'],
  },
  full_text: { aliases: ['full text', 'contract text', 'full_text', 'text'] },
  sku: { aliases: ['sku', 'item code', 'item number', 'part number', 'part no', 'product code', 'material'] },
  item: {
    aliases: ['item', 'item description', 'item name', 'price item', 'product', 'product description', 'description',
      'service'],
  },
  unit_price: { aliases: ['unit price', 'price', 'unit rate', 'rate', 'contract price', 'unit_price'] },
  unit: { aliases: ['unit', 'uom', 'unit of measure'] },
};

// Columns that make a tabular file contract metadata; a folder may also hold unrelated CSV/JSON (label sets...).
const IDENTIFYING_FIELDS = ['contract_number', 'title', 'text_file', 'full_text'];

/** Imports contract texts and contract metadata (with optional prices); duplicates by number or by text. */
export const contractsImporter: Importer = {
  kind: 'contracts',
  accepts(path) {
    const ext = extname(path).toLowerCase();
    return DOCUMENT_EXTENSIONS.includes(ext) || METADATA_EXTENSIONS.includes(ext);
  },
  async importFile(ctx, path) {
    return DOCUMENT_EXTENSIONS.includes(extname(path).toLowerCase())
      ? importDocument(ctx, path)
      : importMetadata(ctx, path);
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Documents

async function importDocument(ctx: ImportContext, path: string) {
  if ((await referencedTexts(ctx, path)).has(resolve(path))) {
    ctx.log.debug('contract text is loaded through a metadata row; not imported on its own', { file: basename(path) });
    // Its bytes count towards the folder's total, so progress still reaches the end.
    ctx.onBytes((await stat(path)).size);
    return { read: 0, imported: 0, duplicates: 0 };
  }
  const text = await readContractText(path, ctx);
  if (text.trim() === '') {
    ctx.reject(1, 'the document is empty');
    return { read: 1, imported: 0, duplicates: 0 };
  }
  const terms = extractContractTerms(text);
  const contract: NewContract = {
    title: documentTitle(text, path),
    supplierName: terms.supplier,
    startDate: terms.startDate,
    endDate: terms.endDate,
    noticePeriodDays: terms.noticePeriodDays,
    autoRenew: terms.autoRenew,
    renewalTerm: terms.renewalTerm,
    governingLaw: terms.governingLaw,
    fullText: text,
    textSha256: sha256(text),
    sourceFile: basename(path),
    clauses: terms.clauses,
    prices: [],
  };
  let inserted = false;
  await storeContracts(ctx.database, ctx.batchId, [contract], (_, ok) => {
    inserted = ok;
  });
  return { read: 1, imported: inserted ? 1 : 0, duplicates: inserted ? 0 : 1 };
}

/** Reads a contract text as stored: BOM dropped, line breaks as \n, in the configured or detected encoding. */
async function readContractText(path: string, ctx?: ImportContext): Promise<string> {
  const bytes = await readFile(path);
  ctx?.onBytes(bytes.length);
  let text: string;
  if (ctx?.options.encoding === 'latin1') {
    text = new TextDecoder('latin1').decode(bytes);
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // Not valid UTF-8: windows-1252, which is what "Latin-1" files really contain.
      text = new TextDecoder('latin1').decode(bytes);
    }
  }
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// A metadata row's text is imported with the row; in a folder the same file must not also become a contract of
// its own. Cached per batch and folder, since every text file of the folder asks.
let referencedCache: { batchId: number; dir: string; paths: Promise<Set<string>> } | undefined;

async function referencedTexts(ctx: ImportContext, path: string): Promise<Set<string>> {
  const dir = dirname(resolve(path));
  if (referencedCache?.batchId !== ctx.batchId || referencedCache.dir !== dir) {
    referencedCache = { batchId: ctx.batchId, dir, paths: collectReferencedTexts(ctx, dir) };
  }
  return referencedCache.paths;
}

async function collectReferencedTexts(ctx: ImportContext, dir: string): Promise<Set<string>> {
  const paths = new Set<string>();
  const source = await batchSource(ctx.database, ctx.batchId);
  const isFolder = source ? await stat(source).then((s) => s.isDirectory(), () => false) : false;
  if (!isFolder) return paths;
  const overrides = parseMapOption(ctx.options.map, contractFields);
  for (const name of await readdir(dir)) {
    if (!METADATA_EXTENSIONS.includes(extname(name).toLowerCase())) continue;
    try {
      for await (const rec of readRecords(resolve(dir, name), { fields: contractFields, overrides, encoding: ctx.options.encoding })) {
        if ('problem' in rec) continue;
        const file = rec.values.text_file?.trim();
        if (file) paths.add(resolve(dir, file));
      }
    } catch {
      // A file that is not readable metadata references nothing; its own import reports why.
    }
  }
  return paths;
}

/** A document's title: its first short heading-like line, else an all-caps agreement heading, else the file name. */
export function documentTitle(text: string, path: string): string {
  // Only the top of the document: a signature block further down is not a title.
  const lines = text
    .slice(0, 2000)
    .split('\n')
    .map((l) => l.replace(/^#+\s*/, '').replace(/\*\*|__/g, '').replace(/\s+/g, ' ').trim())
    .filter((l) => l !== '')
    .slice(0, 15);
  for (const line of lines) {
    if (line.length > 150 || !/[A-Za-z]{3}/.test(line)) continue;
    // Filing labels and legends that precede the real heading of many contracts.
    if (/^(?:exhibit|schedule|annex|appendix|attachment|addendum)\s*[\w.()-]{0,12}$/i.test(line)) continue;
    if (/^(?:execution (?:copy|version)|confidential|draft|final|source:|\[\*\]|page \d)/i.test(line)) continue;
    if (/^(?:\(?\d+(?:\.\d+)*[.)]?|\([a-z]\))\s/i.test(line)) continue;
    // A sentence (the preamble itself) is not a heading.
    if (/\b(?:is|are|was|made|dated|between|entered|hereby)\b/i.test(line)) continue;
    return line.replace(/[.:]$/, '');
  }
  // An all-caps heading naming the kind of document, taken whole ("FIRST AMENDMENT TO SUPPLY AGREEMENT").
  const heading =
    /(?:\b[A-Z][A-Z&'-]*\b\s+){0,6}\b(?:AGREEMENT|CONTRACT|AMENDMENT|ADDENDUM|STATEMENT OF WORK|TERMS AND CONDITIONS|MEMORANDUM OF UNDERSTANDING)\b(?:\s+\b[A-Z][A-Z&'-]*\b){0,8}/.exec(
      text.slice(0, 3000),
    );
  if (heading) {
    const words = heading[0].trim().split(/\s+/);
    let end = words.length;
    while (end > 0 && !/^(?:AGREEMENT|CONTRACT|AMENDMENT|ADDENDUM|WORK|CONDITIONS|UNDERSTANDING)$/.test(words[end - 1]!)) end--;
    const start = /^(?:THIS|THE)$/.test(words[0]!) ? 1 : 0;
    if (end - start >= 2) return words.slice(start, end).join(' ');
  }
  return basename(path, extname(path)).replace(/_+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------------------------
// Metadata files

const CONTRACT_STATUSES: Readonly<Record<string, ContractStatus>> = {
  draft: 'draft',
  pending: 'draft',
  negotiation: 'draft',
  in_negotiation: 'draft',
  active: 'active',
  live: 'active',
  current: 'active',
  in_force: 'active',
  signed: 'active',
  expired: 'expired',
  ended: 'expired',
  lapsed: 'expired',
  terminated: 'terminated',
  cancelled: 'terminated',
  canceled: 'terminated',
};

const YES = new Set(['yes', 'y', 'true', 't', '1', 'auto', 'automatic', 'evergreen']);
const NO = new Set(['no', 'n', 'false', 'f', '0', 'none', 'manual']);

const cell = (max = 1000) => optional(z.string().trim().max(max, `longer than ${max} characters`));

const noticeDays = () =>
  optional(
    z
      .string()
      .trim()
      .transform((s, ctx) => {
        if (/^\d{1,5}$/.test(s)) return Number(s);
        const p = firstPeriod(s);
        if (p) return periodDays(p);
        ctx.addIssue({ code: 'custom', message: `"${s}" is not a number of days (or a period like "3 months")` });
        return z.NEVER;
      }),
  );

const yesNo = () =>
  optional(
    z
      .string()
      .trim()
      .transform((s, ctx) => {
        const k = s.toLowerCase();
        if (YES.has(k)) return true;
        if (NO.has(k)) return false;
        ctx.addIssue({ code: 'custom', message: `"${s}" is not yes or no` });
        return z.NEVER;
      }),
  );

const contractStatus = () =>
  optional(
    z
      .string()
      .trim()
      .transform((s, ctx) => {
        const status = CONTRACT_STATUSES[s.toLowerCase().replace(/[\s-]+/g, '_')];
        if (status) return status;
        ctx.addIssue({ code: 'custom', message: `"${s}" is not one of draft, active, expired, terminated` });
        return z.NEVER;
      }),
  );

function metadataSchema(dateOrder: 'dmy' | 'mdy') {
  return z.object({
    contract_number: cell(200),
    title: cell(1000),
    supplier: cell(500),
    start_date: optional(isoDate(dateOrder)),
    end_date: optional(isoDate(dateOrder)),
    value: optional(amount()),
    currency: optional(currency()),
    notice_period_days: noticeDays(),
    auto_renew: yesNo(),
    renewal_term: cell(200),
    governing_law: cell(200),
    owner: optional(email()),
    category: cell(100),
    status: contractStatus(),
    text_file: cell(1000),
    full_text: optional(z.string().max(20_000_000, 'longer than 20,000,000 characters')),
    sku: cell(200),
    item: cell(1000),
    unit_price: optional(amount()),
    unit: cell(50),
  });
}

type MetadataSchema = ReturnType<typeof metadataSchema>;
type MetadataRow = { line: number; raw: string; key: string; values: z.output<MetadataSchema> };

async function importMetadata(ctx: ImportContext, path: string) {
  const schema = metadataSchema(ctx.options.dateOrder ?? 'dmy');
  const overrides = parseMapOption(ctx.options.map, contractFields);
  const dir = dirname(path);
  let read = 0;
  let checked = false;
  // Rows grouped per contract in first-seen order; the first row of a contract carries its header.
  const groups = new Map<string, MetadataRow[]>();
  for await (const rec of readRecords(path, { fields: contractFields, overrides, encoding: ctx.options.encoding, onBytes: ctx.onBytes })) {
    if (!checked && !('problem' in rec)) {
      checked = true;
      if (!IDENTIFYING_FIELDS.some((f) => f in rec.values)) {
        if (await importedAsFolder(ctx)) {
          ctx.log.warn('skipping a file without contract columns', { file: basename(path) });
          return { read: 0, imported: 0, duplicates: 0 };
        }
        throw new AppError(
          'import:mapping',
          `${basename(path)} has no contract column (looked for contract_number, title, text_file). ` +
            'Name the columns with --map field=Column.',
        );
      }
    }
    read++;
    if ('problem' in rec) {
      ctx.reject(rec.line, rec.reason, rec.raw);
      continue;
    }
    const row = metadataRow(ctx, schema, rec, dir);
    if (!row) continue;
    const list = groups.get(row.key);
    if (list) list.push(row);
    else groups.set(row.key, [row]);
  }

  let imported = 0;
  let duplicates = 0;
  const contracts = async function* (): AsyncGenerator<NewContract & { rows: number }> {
    for (const rows of groups.values()) {
      const c = await contractFromRows(ctx, rows, dir);
      if (c) yield c;
    }
  };
  await storeContracts(ctx.database, ctx.batchId, contracts(), (c, inserted) => {
    const rows = (c as NewContract & { rows: number }).rows;
    if (inserted) imported += rows;
    else duplicates += rows;
  });
  return { read, imported, duplicates };
}

async function importedAsFolder(ctx: ImportContext): Promise<boolean> {
  const source = await batchSource(ctx.database, ctx.batchId);
  return source ? stat(source).then((s) => s.isDirectory(), () => false) : false;
}

function metadataRow(
  ctx: ImportContext,
  schema: MetadataSchema,
  rec: SourceRecord,
  dir: string,
): MetadataRow | undefined {
  const v = validate(schema, rec.values);
  if (!v.ok) {
    ctx.reject(rec.line, v.reason, rec.raw);
    return undefined;
  }
  const values = v.value;
  const key = values.contract_number
    ? `n:${values.contract_number}`
    : values.text_file
      ? `f:${resolve(dir, values.text_file)}`
      : undefined;
  if (!key) {
    ctx.reject(rec.line, 'missing contract_number (a row needs a contract_number or a text_file)', rec.raw);
    return undefined;
  }
  return { line: rec.line, raw: rec.raw, key, values };
}

async function contractFromRows(
  ctx: ImportContext,
  rows: MetadataRow[],
  dir: string,
): Promise<(NewContract & { rows: number }) | undefined> {
  const head = rows[0]!;
  const h = head.values;
  const label = h.contract_number ? `contract ${h.contract_number}` : 'this contract';
  const fail = (reason: string) => {
    for (const r of rows) ctx.reject(r.line, r === head ? reason : `${label}: ${reason} (see line ${head.line})`, r.raw);
    return undefined;
  };
  const headerCurrency = rowCurrency(ctx, h.currency, h.value, h.unit_price);
  if (h.value && !headerCurrency.ok) return fail(headerCurrency.reason);
  if (h.start_date && h.end_date && h.end_date < h.start_date) {
    return fail(`end_date ${h.end_date} is before start_date ${h.start_date}`);
  }

  let text = h.full_text && h.full_text.trim() !== '' ? h.full_text.replace(/\r\n?/g, '\n') : undefined;
  let sourceFile: string | undefined;
  if (!text && h.text_file) {
    const file = resolve(dir, h.text_file);
    try {
      text = await readContractText(file);
      sourceFile = basename(file);
    } catch {
      return fail(`text_file ${h.text_file} cannot be read (looked for ${file})`);
    }
  }
  const terms = text ? extractContractTerms(text) : undefined;
  const title = h.title ?? (text ? documentTitle(text, sourceFile ?? h.contract_number ?? 'contract') : undefined);
  if (!title) return fail('missing title');

  const prices: NewContractPrice[] = [];
  let counted = 0;
  for (const r of rows) {
    const p = r.values;
    if (p.unit_price === undefined) {
      if (r !== head) {
        ctx.reject(r.line, `${label} repeats line ${head.line} without a unit_price to add`, r.raw);
        continue;
      }
      counted++;
      continue;
    }
    const description = p.item ?? p.sku;
    const cur = rowCurrency(ctx, p.currency ?? (headerCurrency.ok ? headerCurrency.currency : undefined), p.unit_price);
    if (!description || !cur.ok) {
      const problem = !description ? 'a price row needs an item or a sku' : cur.ok ? '' : cur.reason;
      // A bad price on the contract's own row takes the contract (and its other rows) with it.
      if (r === head) return fail(problem);
      ctx.reject(r.line, problem, r.raw);
      continue;
    }
    prices.push({
      sku: p.sku,
      description,
      categoryCode: p.category ?? h.category,
      unit: p.unit,
      unitPrice: p.unit_price.amount,
      currency: cur.currency,
    });
    counted++;
  }

  const startDate = h.start_date ?? terms?.startDate;
  // An end read from the text only stands when it does not precede the start the metadata gives.
  const endDate = h.end_date ?? (terms?.endDate && (!startDate || terms.endDate >= startDate) ? terms.endDate : undefined);
  return {
    rows: counted,
    contractNumber: h.contract_number,
    title,
    supplierName: h.supplier ?? terms?.supplier,
    status: h.status,
    startDate,
    endDate,
    value: h.value?.amount,
    currency: h.value && headerCurrency.ok ? headerCurrency.currency : h.currency,
    noticePeriodDays: h.notice_period_days ?? terms?.noticePeriodDays,
    autoRenew: h.auto_renew ?? terms?.autoRenew,
    renewalTerm: h.renewal_term ?? terms?.renewalTerm,
    governingLaw: h.governing_law ?? terms?.governingLaw,
    categoryCode: h.category,
    ownerEmail: h.owner,
    fullText: text,
    textSha256: text ? sha256(text) : undefined,
    sourceFile,
    clauses: terms?.clauses ?? [],
    prices,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Term extraction. Patterns are deliberately general (no party or document specifics) and conservative: a value
// is only set when the wording is unambiguous, and every value comes with the clause it was read from.

/** What the extractor found in a contract text; each value also appears among `clauses` with its source span. */
export type ContractTerms = {
  parties: string[];
  supplier?: string;
  agreementDate?: string;
  effectiveDate?: string;
  /** Effective date, else the agreement date. */
  startDate?: string;
  endDate?: string;
  /** Initial term, e.g. "3 years". */
  term?: string;
  autoRenew?: boolean;
  renewalTerm?: string;
  /** Notice needed to stop a renewal (or to end the term). */
  renewalNoticeDays?: number;
  /** Notice needed to terminate without cause. */
  terminationNoticeDays?: number;
  /** The renewal notice, else the termination-for-convenience notice. */
  noticePeriodDays?: number;
  governingLaw?: string;
  clauses: NewContractClause[];
};

type Unit = 'day' | 'week' | 'month' | 'year';
type Period = { n: number; unit: Unit; start: number; end: number };

const SMALL_NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven',
  'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS_NUMBERS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const UNIT_WORD = `(?:${[...SMALL_NUMBERS.slice(1)].sort((a, b) => b.length - a.length).join('|')})`;
const TENS_WORD = `(?:${TENS_NUMBERS.filter(Boolean).join('|')})`;
const NUM_WORD = `(?:(?:one|two|three)[-\\s]hundred(?:(?:[-\\s]and)?[-\\s](?:${TENS_WORD}(?:[-\\s]${UNIT_WORD})?|${UNIT_WORD}))?|${TENS_WORD}(?:[-\\s]${UNIT_WORD})?|${UNIT_WORD})`;
const QTY = `(?:\\d{1,4}\\s*\\(\\s*${NUM_WORD}\\s*\\)|${NUM_WORD}\\s*\\(\\s*\\d{1,4}\\s*\\)|\\d{1,4}|${NUM_WORD})`;
const PERIOD_SRC = `\\b(${QTY})[-\\s]*(?:(?:calendar|business|working|consecutive)[-\\s]+)?(day|week|month|year)s?\\b`;
const MONTH = '(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)';
const DATE_SRC = `\\b(?:${MONTH}\\.?\\s+\\d{1,2}(?:\\s*(?:st|nd|rd|th))?,?\\s+\\d{4}|\\d{1,2}(?:\\s*(?:s\\s?t|n\\s?d|r\\s?d|t\\s?h))?\\s+(?:day\\s+of\\s+|of\\s+)?${MONTH}\\.?,?\\s+\\d{4}|\\d{4}-\\d{2}-\\d{2}|\\d{1,2}/\\d{1,2}/\\d{4})\\b`;
const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october',
  'november', 'december'];

/** Builds a case-insensitive global regex where each literal space means "one or more whitespace". */
function rx(source: string, flags = 'gi'): RegExp {
  return new RegExp(source.replaceAll(' ', '\\s+'), flags);
}

function wordsToNumber(words: string): number {
  let n = 0;
  for (const w of words.toLowerCase().split(/[-\s]+/)) {
    const small = SMALL_NUMBERS.indexOf(w);
    const tens = TENS_NUMBERS.indexOf(w);
    if (small >= 0) n += small;
    else if (tens >= 2) n += tens * 10;
    else if (w === 'hundred') n = (n || 1) * 100;
  }
  return n;
}

function quantityOf(s: string): number {
  const digits = /\d+/.exec(s);
  return digits ? Number(digits[0]) : wordsToNumber(s);
}

function periodAt(m: RegExpExecArray): Period {
  return { n: quantityOf(m[1]!), unit: m[2]!.toLowerCase() as Unit, start: m.index, end: m.index + m[0].length };
}

/** The first period ("ninety (90) days", "three-year", "12 months") in `s`. */
function firstPeriod(s: string): Period | undefined {
  const m = new RegExp(PERIOD_SRC, 'i').exec(s);
  return m ? periodAt(m) : undefined;
}

/** A period in days, counting a month as 30 days and a year as 365. */
function periodDays(p: { n: number; unit: Unit }): number {
  return p.n * { day: 1, week: 7, month: 30, year: 365 }[p.unit];
}

function periodText(p: { n: number; unit: Unit }): string {
  return `${p.n} ${p.unit}${p.n === 1 ? '' : 's'}`;
}

/** Parses a date as contracts write it ("October 1, 2019", "the 22nd day of June 2018", "2019-10-01") to ISO. */
function dateFromText(s: string): string | undefined {
  const t = s.toLowerCase().replace(/\s+/g, ' ').trim();
  const year = /(\d{4})$/.exec(t)?.[1];
  let iso: string | undefined;
  const isoForm = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const numeric = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  const monthFirst = /^([a-z]+)\.? (\d{1,2})/.exec(t);
  const dayFirst = /^(\d{1,2})\D.*?\b([a-z]{3,})\.?,? \d{4}$/.exec(t);
  if (isoForm) {
    iso = t;
  } else if (numeric) {
    const [a, b, y] = [Number(numeric[1]), Number(numeric[2]), Number(numeric[3])];
    // All-numeric dates are only read when day and month cannot be confused.
    if (a > 12 && b <= 12) iso = isoOf(y, b, a);
    else if (b > 12 && a <= 12) iso = isoOf(y, a, b);
    else if (a === b) iso = isoOf(y, a, b);
  } else if (monthFirst && year) {
    iso = isoOf(Number(year), monthNumber(monthFirst[1]!), Number(monthFirst[2]));
  } else if (dayFirst && year) {
    iso = isoOf(Number(year), monthNumber(dayFirst[2]!), Number(dayFirst[1]));
  }
  if (!iso) return undefined;
  const checked = parseDate(iso);
  return checked.ok ? checked.value : undefined;
}

function monthNumber(name: string): number {
  return MONTH_NAMES.findIndex((full) => full.startsWith(name.slice(0, 3))) + 1;
}

function isoOf(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `iso` plus a period; month and year steps keep the day of month, clamped to the month's length. */
function addPeriod(iso: string, p: { n: number; unit: Unit }): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  if (p.unit === 'day' || p.unit === 'week') {
    const t = new Date(Date.UTC(y, m - 1, d + p.n * (p.unit === 'week' ? 7 : 1)));
    return t.toISOString().slice(0, 10);
  }
  const months = p.unit === 'year' ? p.n * 12 : p.n;
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

const ABBREVIATIONS = new Set(['inc', 'ltd', 'co', 'corp', 'no', 'nos', 'n.a', 'u.s', 'u.s.a', 'e.g', 'i.e', 'etc',
  'sec', 'secs', 'art', 'para', 'vs', 'v', 'mr', 'mrs', 'ms', 'dr', 'st', 'jr', 'sr', 'llc', 'l.l.c', 'l.p', 'p.c',
  's.a', 'n.v', 'b.v', 'plc', 'pte', 'pty', 'ave', 'blvd', 'fig', 'approx', 'dept', 'p.o', 'u.k', 'a.m', 'p.m']);

/** A contract text with a same-length search form (straight quotes, single-character spaces) and sentence starts. */
class ContractDoc {
  readonly text: string;
  readonly flat: string;
  private readonly starts: number[];

  constructor(text: string) {
    this.text = text;
    this.flat = text.replace(/[\u201c\u201d\u201e\u201f\u2033]/g, '"').replace(/[\u2018\u2019\u201a\u201b\u2032]/g, "'")
      .replace(/[\u2013\u2014]/g, '-').replace(/\s/g, ' ');
    this.starts = [0];
    const boundary = /[.!?]["')\]]?(\s+)(?=["'([]?[A-Z0-9])|\n[ \t]*\n\s*/g;
    for (const m of text.matchAll(boundary)) {
      if (m[0][0] === '.') {
        const token = /(\S+)$/.exec(text.slice(Math.max(0, m.index - 12), m.index))?.[1]?.replace(/^[("'[]+/, '');
        if (token && (ABBREVIATIONS.has(token.toLowerCase()) || /^[A-Za-z]$/.test(token))) continue;
      }
      this.starts.push(m.index + m[0].length);
    }
  }

  /** The sentence (or at most ~1,500 characters of it) around `at`, trimmed. */
  sentence(at: number): { start: number; end: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    let start = this.starts[lo]!;
    let end = this.starts[lo + 1] ?? this.text.length;
    if (end - start > 1500) {
      start = Math.max(start, at - 600);
      end = Math.min(end, at + 900);
    }
    while (start < end && /\s/.test(this.text[start]!)) start++;
    while (end > start && /\s/.test(this.text[end - 1]!)) end--;
    return { start, end };
  }

  /** The sentence after the one around `at`, if any. */
  nextSentence(at: number): { start: number; end: number } | undefined {
    const { end } = this.sentence(at);
    let i = end;
    while (i < this.text.length && /\s/.test(this.text[i]!)) i++;
    return i < this.text.length ? this.sentence(i) : undefined;
  }

  flatSlice(span: { start: number; end: number }): string {
    return this.flat.slice(span.start, span.end);
  }

  clause(kind: string, at: number, value: string | undefined, span?: { start: number; end: number }): NewContractClause {
    const s = span ?? this.sentence(at);
    return { kind, text: this.text.slice(s.start, s.end), value, start: s.start, end: s.end };
  }
}

/** Extracts parties, supplier, dates, term, renewal, notice periods and governing law from a contract text. */
export function extractContractTerms(text: string): ContractTerms {
  const doc = new ContractDoc(text);
  const terms: ContractTerms = { parties: [], clauses: [] };
  extractParties(doc, terms);
  extractDates(doc, terms);
  extractRenewal(doc, terms);
  extractTerminationNotice(doc, terms);
  terms.noticePeriodDays = terms.renewalNoticeDays ?? terms.terminationNoticeDays;
  extractGoverningLaw(doc, terms);
  return terms;
}

// Parties -------------------------------------------------------------------------------------------------------

type Party = { name?: string; roles: string[]; start: number; end: number };

// A parenthetical defining a name: ("Supplier"), (the "Buyer" or "PNC"), (hereinafter referred to as 'Client').
const DEFINED_TERM =
  /\(\s*(?:(?:the|this|each|and|both|of|them|hereinafter|herein|referred|to|as|called|collectively|together|individually|jointly|also|known)\s+){0,8}["'][^()]{1,80}?\)/gi;
const SUPPLIER_ROLES = /^(?:supplier|vendor|seller|provider|service provider|services provider|contractor|consultant|manufacturer|licensor|lessor|producer)$/i;
const BUYER_ROLES = /^(?:customer|client|buyer|purchaser|distributor|reseller|licensee|lessee|recipient)$/i;
const GENERIC_TERMS = /^(?:agreement|amendment|contract|addendum|schedule|exhibit|annex|appendix|term|initial term|services?|products?|goods|work|territory|.*\b(?:date|agreement|information|period)s?)$/i;
const LEGAL_FORMS = /\b(?:inc|incorporated|ltd|limited|llc|l\.l\.c|llp|lp|l\.p|plc|corp|corporation|company|co|n\.a|gmbh|ag|s\.a|sa|b\.v|bv|n\.v|nv|pte|pty|trust|fund|bank|group|holdings?|partners|partnership)\b\.?/gi;
const NOT_A_NAME = /^(?:the|this|that|such|each|any|said|its|their|which|who|whereas|and|or|between|by|of)\b/i;

function definedTerms(paren: string): string[] {
  const quoted = [...paren.matchAll(/"([^"]{1,60})"/g)].map((m) => m[1]!);
  const terms = quoted.length > 0 ? quoted : [...paren.matchAll(/'([^']{1,60})'/g)].map((m) => m[1]!);
  // An unbalanced quote ("effective Date) still names its term.
  if (terms.length === 0) {
    const open = /["']([^"')]{1,60})/.exec(paren);
    if (open) terms.push(open[1]!);
  }
  return terms.map((t) => t.replace(/^the\s+/i, '').replace(/[,.;:]$/, '').trim());
}

function cleanPartyName(segment: string): string | undefined {
  let s = segment.split(/\b(?:between|among|amongst)\b\s*:?/i).pop()!;
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s
      .replace(/^[\s,;:-]+/, '')
      .replace(/^of\s+(?:the\s+)?(?:one|first|other|second)\s+part\b/i, '')
      .replace(/^and\b\s*:?/i, '')
      .replace(/^\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+/i, '');
  }
  const cut = s.search(
    /,\s+(?:a|an)\s|\s+(?:a|an)\s+(?:company|corporation|limited|partnership|[A-Z][a-z]+\s+(?:corporation|company|limited|partnership|statutory))|,?\s+(?:organized|organised|incorporated|existing|having|with\s+(?:its|a|an)\s+(?:principal|registered|head|place)|located|whose|domiciled|duly)\b|\s+\((?:company|registered|registration|reg|no|number|crn|abn|acn|ein|tax)\b|\s+\d|\s*"/i,
  );
  if (cut >= 0) s = s.slice(0, cut);
  // A trailing remark in parentheses ("(formerly known as …)") is not part of the name; "(USA) Inc." is.
  s = s.replace(/\s*\([^()]*\s[^()]*\)\s*$/, '').replace(/[\s,;:]+$/, '');
  if (/\.$/.test(s) && !/(?:\b[A-Za-z]{1,4}|\.[A-Za-z])\.$/.test(s)) s = s.slice(0, -1);
  let words = s.split(/\s+/).filter(Boolean);
  if (words.length > 12 || (words.length > 6 && /\d/.test(s))) {
    const forms = [...s.matchAll(LEGAL_FORMS)];
    const last = forms.filter((f) => f.index < 120).pop();
    if (!last) return undefined;
    s = s.slice(0, last.index + last[0].length);
    words = s.split(/\s+/);
  } else if (words.length > 3) {
    // Addresses often follow the name without a comma: keep up to the last legal form when one is present.
    const forms = [...s.matchAll(LEGAL_FORMS)];
    const last = forms.pop();
    if (last && last.index > 0 && s.slice(last.index + last[0].length).trim() !== '') {
      s = s.slice(0, last.index + last[0].length);
    }
  }
  s = s.trim();
  if (s.length < 2 || s.length > 150 || words.length > 12) return undefined;
  if (!/[A-Za-z]{2}/.test(s) || /[[\]*<>{}_]/.test(s) || NOT_A_NAME.test(s)) return undefined;
  return s;
}

/** Splits "X, a … company, and Y, a … company" (two parties sharing one defined name) into its names. */
function jointParties(segment: string): string[] {
  const parts: string[] = [];
  let from = 0;
  const descriptor = /,\s+(?:a|an)\s|\b(?:organized|organised|incorporated|existing)\b/i;
  for (const m of segment.matchAll(/,?\s+and\s+(?=[A-Z0-9])/g)) {
    const piece = segment.slice(from, m.index);
    // Only between two described companies, so "Procter and Gamble" or "England and Wales" stay whole.
    const after = segment.slice(m.index + m[0].length);
    if (descriptor.test(piece) && descriptor.test(after) && new RegExp(LEGAL_FORMS.source, 'i').test(after.split(descriptor)[0]!)) {
      parts.push(piece);
      from = m.index + m[0].length;
    }
  }
  parts.push(segment.slice(from));
  return parts;
}

function findParties(doc: ContractDoc): Party[] {
  const head = doc.flat.slice(0, 8000);
  for (const b of head.matchAll(/\b(?:between|among|amongst)\b\s*:?/gi)) {
    let cursor = b.index + b[0].length;
    const limit = Math.min(head.length, cursor + 2500);
    const parties: Party[] = [];
    const re = new RegExp(DEFINED_TERM.source, 'gi');
    re.lastIndex = cursor;
    for (let d = re.exec(head); d && d.index < limit; d = re.exec(head)) {
      const segment = head.slice(cursor, d.index);
      const segStart = cursor;
      cursor = d.index + d[0].length;
      const roles = definedTerms(d[0]);
      if (roles.some((r) => /^(?:part(?:y|ies)|each party)$/i.test(r))) break;
      // Leaving the list of parties: a sentence ended, or a long stretch without a defined name.
      if (parties.length >= 2 && /[a-z0-9)]\.\s+[A-Z]/.test(segment)) break;
      if (segment.length > 500) break;
      if (roles.length === 0 || roles.every((r) => GENERIC_TERMS.test(r))) continue;
      if (segment.trim() === '') continue;
      for (const piece of jointParties(segment)) parties.push({ name: cleanPartyName(piece), roles, start: segStart, end: cursor });
    }
    if (parties.length >= 2 && parties.some((p) => p.name)) return parties;
  }
  return [];
}

function extractParties(doc: ContractDoc, terms: ContractTerms): void {
  const parties = findParties(doc);
  const named = parties.filter((p): p is Party & { name: string } => p.name !== undefined);
  if (named.length === 0) return;
  terms.parties = named.map((p) => p.name);
  const first = parties[0]!;
  const last = parties[parties.length - 1]!;
  terms.clauses.push(doc.clause('parties', first.start, terms.parties.join('; '), trimSpan(doc, first.start, last.end)));

  // The supplier is the party named by a supplier role, or the other party of two when one is the buyer.
  const supplierSide = parties.filter((p) => p.roles.some((r) => SUPPLIER_ROLES.test(r)));
  let supplier: Party | undefined;
  if (supplierSide.length === 1) {
    supplier = supplierSide[0];
  } else if (supplierSide.length === 0 && parties.length === 2) {
    const buyers = parties.filter((p) => p.roles.some((r) => BUYER_ROLES.test(r)));
    if (buyers.length === 1) supplier = parties.find((p) => p !== buyers[0]);
  }
  if (supplier?.name) {
    terms.supplier = supplier.name;
    terms.clauses.push(doc.clause('supplier', supplier.start, supplier.name, trimSpan(doc, supplier.start, supplier.end)));
  }
}

function trimSpan(doc: ContractDoc, start: number, end: number): { start: number; end: number } {
  let s = start;
  let e = end;
  while (s < e && /[\s,;:]/.test(doc.text[s]!)) s++;
  if (/^and\s/i.test(doc.flat.slice(s, s + 4))) s += 4;
  while (s < e && /\s/.test(doc.text[s]!)) s++;
  while (e > s && /\s/.test(doc.text[e - 1]!)) e--;
  return { start: s, end: e };
}

// Dates and term ------------------------------------------------------------------------------------------------

type Found = { value: string; at: number; score: number };

function best(found: Found[]): Found | undefined {
  return found.sort((a, b) => b.score - a.score || a.at - b.at)[0];
}

function dateGroup(m: RegExpExecArray): { iso?: string; at: number } {
  const raw = m.groups?.date ?? '';
  return { iso: dateFromText(raw), at: m.index + m[0].length - raw.length };
}

// A "dated" that follows a reference to another agreement ("the Supply Agreement dated …") is that one's date.
const REFERENCE_BEFORE =
  /\b(?:that certain|the|said|such|an?|under|to)\s+(?:[\w&,'-]+\s+){0,8}?(?:agreement|amendment|contract|lease|license|licence|order|letter|plan|note)\s*(?:\([^)]*\)\s*)?(?:between\s[^.]{0,160})?,?\s*$/i;

function extractDates(doc: ContractDoc, terms: ContractTerms): void {
  const f = doc.flat;
  const preamble = f.slice(0, 6000);
  const D = `(?<date>${DATE_SRC})`;

  const effective: Found[] = [];
  for (const m of f.matchAll(rx(`${D}\\s*,?\\s*\\(\\s*(?:the |this )?"?(?:[\\w-]+ )?effective date"?\\s*\\)`))) {
    const d = dateGroup(m);
    if (d.iso) effective.push({ value: d.iso, at: d.at, score: 5 });
  }
  for (const m of f.matchAll(rx(`"effective date" (?:shall )?(?:mean|means|is|shall be) (?:the date of |as of )?${D}`))) {
    const d = dateGroup(m);
    if (d.iso) effective.push({ value: d.iso, at: d.at, score: 4 });
  }
  for (const m of preamble.matchAll(rx(`\\beffective (?:as of |as at |on |from )?(?:the )?${D}`))) {
    const d = dateGroup(m);
    if (d.iso) effective.push({ value: d.iso, at: d.at, score: 3 });
  }

  const agreement: Found[] = [];
  for (const m of preamble.matchAll(
    rx(`\\b(?:made|entered into|executed|signed|concluded)(?: and (?:entered into|made|executed))?(?: effective)?(?: as of| as at| on| this| at)?(?: this)?(?: the)? ${D}`),
  )) {
    const before = f.slice(doc.sentence(m.index).start, m.index);
    if (!/\b(?:agreement|amendment|contract|addendum|memorandum|lease|licen[cs]e|order|instrument|deed|presents)\b/i.test(before)) continue;
    const d = dateGroup(m);
    if (d.iso) agreement.push({ value: d.iso, at: d.at, score: 3 });
  }
  for (const m of preamble.matchAll(rx(`\\bdated (?:as of |as at )?(?:the )?${D}`))) {
    const before = f.slice(Math.max(doc.sentence(m.index).start, m.index - 300), m.index);
    if (REFERENCE_BEFORE.test(before)) continue;
    const d = dateGroup(m);
    if (d.iso) agreement.push({ value: d.iso, at: d.at, score: 3 });
  }
  for (const e of effective) if (e.at < 6000) agreement.push({ ...e, score: 2 });
  for (const m of f.slice(0, 3000).matchAll(rx(`\\bas of ${D}`))) {
    const d = dateGroup(m);
    if (d.iso) agreement.push({ value: d.iso, at: d.at, score: 1 });
  }
  const agreed = best(agreement);
  if (agreed) {
    terms.agreementDate = agreed.value;
    terms.clauses.push(doc.clause('agreement_date', agreed.at, agreed.value));
  }

  // "Effective upon execution" / "as of the date first written above": the agreement date.
  if (effective.length === 0 && agreed) {
    const m = rx(
      '\\b(?:effective|commenc\\w*|enter\\w* into force) (?:as of |on |upon |from )?(?:the date (?:of (?:its |the )?(?:execution|signature|signing)|(?:first )?(?:written|set forth|stated|mentioned) above|hereof)|(?:its |the )?(?:execution|signature|signing)\\b)',
    ).exec(f);
    if (m) effective.push({ value: agreed.value, at: m.index, score: 1 });
  }
  const eff = best(effective);
  if (eff) {
    terms.effectiveDate = eff.value;
    terms.clauses.push(doc.clause('effective_date', eff.at, eff.value));
  }
  terms.startDate = terms.effectiveDate ?? terms.agreementDate;

  const termContext = /\b(?:agreement|amendment|contract|term)\b/i;
  const notTheTerm = /\b(?:confidential\w*|warrant\w*|surviv\w*|compet\w*|solicit\w*|audit\w*|after (?:the )?(?:termination|expiration)|following (?:the )?(?:termination|expiration))\b/i;

  const explicit = rx(
    `\\b(?:agreement|term|amendment)\\b[^.;]{0,120}?\\b(?:terminate|expire|end|remain in (?:full )?(?:force and )?effect|continue(?: in (?:full )?(?:force and )?effect)?)s?\\b[^.;]{0,60}? (?:on|until|through|thru) (?:and including )?(?:the )?${D}`,
  ).exec(f);
  const explicitDate = explicit ? dateGroup(explicit) : undefined;
  if (explicit && explicitDate?.iso) {
    terms.endDate = explicitDate.iso;
    terms.clauses.push(doc.clause('expiration_date', explicitDate.at, explicitDate.iso));
  }

  const termRes = [
    rx(`\\b(?:for|of) (?:an? )?(?:initial |original |primary )?(?:term|period) of ${PERIOD_SRC}`),
    rx(`\\bcontinue (?:in (?:full )?(?:force and )?effect )?(?:for|during) (?:an? )?(?:(?:initial |original )?(?:term|period) of )?${PERIOD_SRC}`),
    rx(`\\b(?:initial )?term (?:of this agreement )?(?:shall be|is|will be) (?:for )?(?:an? )?(?:period of )?${PERIOD_SRC}`),
    rx(`${PERIOD_SRC} (?:initial )?term\\b`),
  ];
  const termHits: { p: Period; at: number }[] = [];
  for (const re of termRes) {
    for (const m of f.matchAll(re)) {
      const sentence = doc.flatSlice(doc.sentence(m.index));
      if (!termContext.test(sentence) || notTheTerm.test(sentence)) continue;
      // Renewal periods, cure periods and notice periods are not the initial term.
      if (/\b(?:renew\w*|additional|successive|subsequent|extension|extended)\b/i.test(f.slice(Math.max(0, m.index - 60), m.index))) continue;
      if (/\b(?:cure\w*|fail\w*|breach\w*|default\w*|within|notice)\b/i.test(f.slice(Math.max(0, m.index - 150), m.index))) continue;
      if (/\bperpetu\w*|indefinite\w*/i.test(sentence)) continue;
      const periodMatch = new RegExp(PERIOD_SRC, 'i').exec(m[0]);
      if (!periodMatch) continue;
      const p = periodAt(periodMatch);
      termHits.push({ p: { ...p, start: m.index + p.start, end: m.index + p.end }, at: m.index });
      break;
    }
  }
  const term = termHits.sort((a, b) => a.at - b.at)[0];
  if (term) {
    terms.term = periodText(term.p);
    terms.clauses.push(doc.clause('term', term.at, terms.term));
    if (!terms.endDate && terms.startDate) {
      terms.endDate = addPeriod(terms.startDate, term.p);
      terms.clauses.push(doc.clause('expiration_date', term.at, terms.endDate));
    }
  }
}

// Renewal and notice --------------------------------------------------------------------------------------------

const AUTO_RENEWAL =
  /\b(?:automatic(?:ally)?|auto)[-\s]?(?:be\s+)?(?:renew|extend)\w*|\b(?:renew|extend)\w*\s+automatically|\bautomatic(?:ally)?\s+(?:renewal|extension)|\b(?:shall|will)\s+(?:thereafter\s+)?(?:be\s+)?(?:renewed|extended|renew|extend)\s+(?:for|on)\s+(?:successive|additional|consecutive|further|subsequent)|\bevergreen\b|\b(?:year|month)[-\s]to[-\s](?:year|month)\b/gi;
const AGREEMENT_WORDS = /\b(?:agreement|term|contract|amendment)\b/i;
// A period right before these words is a notice period, not a renewal period.
const NOTICE_AFTER = /^\s*(?:'s?|s')?\s*(?:\(\s*\d+\s*\)\s*)?(?:prior|advance|in advance|before|written|notice|of notice|'\s*notice)/i;
const NOTICE_BEFORE = /\b(?:at least|no less than|not less than|minimum of|no later than|upon|with|giving|give|provide|providing)\s*$/i;

function isNoticePeriod(f: string, p: Period): boolean {
  return NOTICE_AFTER.test(f.slice(p.end, p.end + 40)) || NOTICE_BEFORE.test(f.slice(Math.max(0, p.start - 25), p.start));
}

function periodsIn(f: string, span: { start: number; end: number }): Period[] {
  const text = f.slice(span.start, span.end);
  return [...text.matchAll(new RegExp(PERIOD_SRC, 'gi'))].map((m) => {
    const p = periodAt(m);
    return { ...p, start: span.start + p.start, end: span.start + p.end };
  });
}

function noticeIn(f: string, span: { start: number; end: number }, except?: Period): Period | undefined {
  return periodsIn(f, span).find(
    (p) => p.start !== except?.start && p.unit !== 'year' && isNoticePeriod(f, p) && /notice|prior|before|advance/i.test(f.slice(span.start, span.end)),
  );
}

function extractRenewal(doc: ContractDoc, terms: ContractTerms): void {
  const f = doc.flat;
  let renewal: { at: number; span: { start: number; end: number } } | undefined;
  for (const m of f.matchAll(AUTO_RENEWAL)) {
    const span = doc.sentence(m.index);
    const sentence = f.slice(span.start, span.end);
    if (!AGREEMENT_WORDS.test(sentence)) continue;
    if (/\b(?:not|no|never)\b[^.]{0,25}$/i.test(f.slice(Math.max(span.start, m.index - 30), m.index))) {
      terms.autoRenew ??= false;
      terms.clauses.push(doc.clause('renewal', m.index, 'no automatic renewal', span));
      continue;
    }
    renewal = { at: m.index, span };
    break;
  }
  if (renewal) {
    terms.autoRenew = true;
    const { span, at } = renewal;
    const sentence = f.slice(span.start, span.end);
    const periods = periodsIn(f, span).filter((p) => !isNoticePeriod(f, p));
    const yearly = /\b(?:year|month)[-\s]to[-\s](?:year|month)\b/i.exec(sentence);
    const period =
      periods.find((p) => p.start >= at) ??
      periods[periods.length - 1] ??
      (yearly ? { n: 1, unit: yearly[0].toLowerCase().startsWith('year') ? 'year' : 'month', start: 0, end: 0 } as Period : undefined);
    if (period) {
      const successive = /\b(?:successive|consecutive|each subsequent|every|year[-\s]to[-\s]year|month[-\s]to[-\s]month)\b/i.test(sentence);
      terms.renewalTerm = `${successive ? 'successive ' : ''}${periodText(period)}`;
    }
    terms.clauses.push(doc.clause('renewal', at, terms.renewalTerm ?? 'automatic', span));

    // The notice that stops a renewal sits in the renewal sentence, or in the one right after it.
    let notice = noticeIn(f, span, period);
    let noticeSpan = span;
    const next = doc.nextSentence(at);
    if (!notice && next && /\bnotice\b/i.test(doc.flatSlice(next)) && /\b(?:terminat|renew|expir|end)\w*/i.test(doc.flatSlice(next))) {
      notice = noticeIn(f, next);
      noticeSpan = next;
    }
    if (notice) {
      terms.renewalNoticeDays = periodDays(notice);
      terms.clauses.push(doc.clause('notice_period', notice.start, String(terms.renewalNoticeDays), noticeSpan));
    }
  } else if (terms.autoRenew === undefined && (terms.endDate || terms.term)) {
    // A fixed term with no renewal wording does not renew by itself.
    terms.autoRenew = false;
  }

  if (terms.renewalNoticeDays === undefined) {
    // Notice of non-renewal stated on its own.
    for (const m of f.matchAll(/\b(?:not\s+to\s+renew|non-?renewal|intention\s+not\s+to|elect\w*\s+not\s+to\s+(?:renew|extend)|prevent\s+(?:the\s+)?(?:automatic\s+)?renewal)\b/gi)) {
      const span = doc.sentence(m.index);
      const notice = noticeIn(f, span);
      if (notice) {
        terms.renewalNoticeDays = periodDays(notice);
        terms.clauses.push(doc.clause('notice_period', notice.start, String(terms.renewalNoticeDays), span));
        break;
      }
    }
  }
}

function extractTerminationNotice(doc: ContractDoc, terms: ContractTerms): void {
  const f = doc.flat;
  const convenience = /\b(?:for\s+convenience|without\s+cause|for\s+any\s+reason|for\s+no\s+reason|at\s+any\s+time|in\s+its\s+sole\s+discretion|in\s+their\s+sole\s+discretion)\b/gi;
  for (const m of f.matchAll(convenience)) {
    const span = doc.sentence(m.index);
    const sentence = f.slice(span.start, span.end);
    if (!/\bterminat\w*/i.test(sentence) || !/\bnotice\b/i.test(sentence)) continue;
    if (/\b(?:breach|default|insolven\w*|bankrupt\w*)\b/i.test(sentence) && !/without\s+cause|for\s+convenience/i.test(sentence)) continue;
    const notice = periodsIn(f, span).find((p) => p.unit !== 'year' && isNoticePeriod(f, p));
    if (!notice) continue;
    terms.terminationNoticeDays = periodDays(notice);
    terms.clauses.push(doc.clause('termination_notice', notice.start, String(terms.terminationNoticeDays), span));
    return;
  }
}

// Governing law -------------------------------------------------------------------------------------------------

const US_STATES = ['Alabama', 'Alaska', 'Arizona', 'Arkansas', 'California', 'Colorado', 'Connecticut', 'Delaware',
  'District of Columbia', 'Florida', 'Georgia', 'Hawaii', 'Idaho', 'Illinois', 'Indiana', 'Iowa', 'Kansas', 'Kentucky',
  'Louisiana', 'Maine', 'Maryland', 'Massachusetts', 'Michigan', 'Minnesota', 'Mississippi', 'Missouri', 'Montana',
  'Nebraska', 'Nevada', 'New Hampshire', 'New Jersey', 'New Mexico', 'New York', 'North Carolina', 'North Dakota',
  'Ohio', 'Oklahoma', 'Oregon', 'Pennsylvania', 'Rhode Island', 'South Carolina', 'South Dakota', 'Tennessee', 'Texas',
  'Utah', 'Vermont', 'Virginia', 'Washington', 'West Virginia', 'Wisconsin', 'Wyoming', 'Puerto Rico'];
const OTHER_JURISDICTIONS = ['England and Wales', 'England', 'Wales', 'Scotland', 'Northern Ireland', 'Ontario', 'Quebec',
  'British Columbia', 'Alberta', 'Manitoba', 'Saskatchewan', 'Nova Scotia', 'New Brunswick', 'Newfoundland and Labrador',
  'Prince Edward Island', 'New South Wales', 'Victoria', 'Queensland', 'Western Australia', 'South Australia', 'Tasmania',
  'Hong Kong', 'Macau', 'Bermuda', 'Cayman Islands', 'British Virgin Islands', 'Jersey', 'Guernsey', 'Isle of Man'];
const COUNTRIES = ('Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|Bahamas|' +
  'Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia and Herzegovina|Botswana|Brazil|' +
  'Brunei|Bulgaria|Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Cape Verde|Chile|China|Colombia|Costa Rica|Croatia|' +
  'Cuba|Cyprus|Czech Republic|Czechia|Denmark|Dominican Republic|Ecuador|Egypt|El Salvador|Estonia|Ethiopia|Fiji|' +
  'Finland|France|Gabon|Germany|Ghana|Greece|Guatemala|Honduras|Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|' +
  'Israel|Italy|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Korea|South Korea|Kuwait|Latvia|Lebanon|Liechtenstein|' +
  'Lithuania|Luxembourg|Malaysia|Malta|Mauritius|Mexico|Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|Namibia|' +
  'Nepal|Netherlands|the Netherlands|New Zealand|Nigeria|North Macedonia|Norway|Oman|Pakistan|Panama|Paraguay|Peru|' +
  "Philippines|Poland|Portugal|Qatar|Romania|Russia|Russian Federation|Rwanda|Saudi Arabia|Senegal|Serbia|Singapore|" +
  'Slovakia|Slovenia|South Africa|Spain|Sri Lanka|Sweden|Switzerland|Taiwan|Tanzania|Thailand|Trinidad and Tobago|' +
  'Tunisia|Turkey|Uganda|Ukraine|United Arab Emirates|United Kingdom|United States of America|United States|Uruguay|' +
  'Uzbekistan|Venezuela|Vietnam|Zambia|Zimbabwe').split('|');
const JURISDICTIONS = [...US_STATES, ...OTHER_JURISDICTIONS, ...COUNTRIES].sort((a, b) => b.length - a.length);

// "governed by German law": the adjective names the jurisdiction.
const DEMONYMS: Readonly<Record<string, string>> = {
  english: 'England', scottish: 'Scotland', welsh: 'Wales', irish: 'Ireland', german: 'Germany', french: 'France',
  swiss: 'Switzerland', dutch: 'Netherlands', belgian: 'Belgium', austrian: 'Austria', italian: 'Italy',
  spanish: 'Spain', portuguese: 'Portugal', swedish: 'Sweden', danish: 'Denmark', norwegian: 'Norway',
  finnish: 'Finland', polish: 'Poland', israeli: 'Israel', japanese: 'Japan', chinese: 'China', indian: 'India',
  singaporean: 'Singapore', canadian: 'Canada', australian: 'Australia', brazilian: 'Brazil', mexican: 'Mexico',
};

function jurisdictionAt(f: string, at: number): string | undefined {
  const rest = f
    .slice(at, at + 80)
    .replace(/^\s*(?:the\s+)?(?:(?:state|commonwealth|province|republic|kingdom|federal\s+republic|people's\s+republic|grand\s+duchy|principality|territory|canton|emirate)\s+of\s+)?(?:the\s+)?/i, '');
  for (const name of JURISDICTIONS) {
    if (rest.length < name.length) continue;
    const candidate = rest.slice(0, name.length);
    if (candidate.replace(/\s+/g, ' ').toLowerCase() === name.toLowerCase() && !/^[A-Za-z]/.test(rest.slice(name.length))) {
      return name.replace(/^the /, '');
    }
  }
  return undefined;
}

function extractGoverningLaw(doc: ContractDoc, terms: ContractTerms): void {
  const f = doc.flat;
  const cue = /\bgoverned\s+(?:by|in\s+accordance\s+with)|\bgoverning\s+law\b|\bconstrued\s+(?:and\s+\w+\s+)?(?:in\s+accordance\s+with|under)|\blaws?\s+of\s+[^.]{0,60}\s+(?:shall|will)\s+(?:govern|apply)|\bsubject\s+to\s+the\s+laws?\s+of/gi;
  for (const m of f.matchAll(cue)) {
    const span = doc.sentence(m.index);
    const sentence = f.slice(span.start, span.end);
    if (!/\bgovern\w*|\bconstrued\b|\bsubject\s+to\s+the\s+laws?\b/i.test(sentence)) continue;
    const adjective = /\bgoverned\s+by\s+(?:the\s+)?([A-Z][a-z]+)\s+law\b/.exec(sentence);
    const demonym = adjective ? DEMONYMS[adjective[1]!.toLowerCase()] : undefined;
    if (adjective && demonym) {
      terms.governingLaw = demonym;
      terms.clauses.push(doc.clause('governing_law', span.start + adjective.index, demonym, span));
      return;
    }
    for (const law of sentence.matchAll(/\blaws?\s+of\b|\bgoverned\s+by\b(?=\s+(?:the\s+)?[A-Z][\w ]{2,40}\s+law\b)/gi)) {
      const name = jurisdictionAt(f, span.start + law.index + law[0].length);
      if (name) {
        terms.governingLaw = name;
        terms.clauses.push(doc.clause('governing_law', span.start + law.index, name, span));
        return;
      }
    }
  }
}
