// Contracts: plain-text documents (.txt/.md), whose key terms are extracted with quotable clauses, and CSV/JSON
// metadata files, whose rows may point at such a text and add contracted prices.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { z } from 'zod';
import { firstPeriod, periodDays } from '../../contracts/periods.js';
import { extractContractTerms } from '../../contracts/terms.js';
import { documentTitle } from '../../contracts/title.js';
import { type ContractStatus, type NewContract, type NewContractPrice, storeContracts } from '../../db/contracts.js';
import { AppError } from '../../errors.js';
import type { ImportContext, Importer } from '../context.js';
import { amount, currency, email, isoDate, optional, validate } from '../fields.js';
import { type FieldSpec, parseMapOption } from '../mapping.js';
import { readRecords, type SourceRecord } from '../records.js';
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
  if (!ctx.target.isFolder) return paths;
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
        if (ctx.target.isFolder) {
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
