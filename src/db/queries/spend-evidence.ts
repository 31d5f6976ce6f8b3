// What every anomaly finding is made of: the rows that prove it, each traceable to its source file and line.
import type { Database } from '../client.js';

export const ANOMALY_KINDS = ['duplicate_payment', 'split_purchase', 'price_variance', 'off_contract'] as const;
export type AnomalyKind = (typeof ANOMALY_KINDS)[number];

export type EvidenceSource = 'spend_line' | 'invoice' | 'invoice_line' | 'contract' | 'contract_price';

export type Evidence = {
  source: EvidenceSource;
  id: string;
  date: string | null;
  amount: string | null;
  currency: string | null;
  invoiceNumber: string | null;
  /** PO number, contract number or SKU, whichever identifies the row to a person. */
  reference: string | null;
  description: string | null;
  sourceFile: string | null;
  sourceLine: number | null;
};

/** What made a finding, per kind: the facts its plain-language explanation is written from. */
export type FindingDetails =
  | {
      kind: 'duplicate_payment';
      basis: 'payments' | 'invoices';
      daysApart: number;
      amountsEqual: boolean;
      invoiceRelation: 'same' | 'similar' | 'missing' | 'different';
      invoiceNumbers: (string | null)[];
      /** Payments found for the invoices (basis 'invoices'). */
      paymentsFound: number;
    }
  | {
      kind: 'split_purchase';
      threshold: string;
      payments: number;
      firstDate: string;
      lastDate: string;
      largest: string;
    }
  | {
      kind: 'price_variance';
      invoiceNumber: string;
      invoiceDate: string;
      item: string;
      quantity: string;
      invoicedPrice: string;
      contractPrice: string;
      variancePct: string;
      contractNumber: string | null;
      matchedBy: 'sku' | 'description';
    }
  | {
      kind: 'off_contract';
      reason: 'expired_contract' | 'other_supplier_contract';
      paymentDate: string;
      category: string | null;
      contractNumber: string | null;
      contractTitle: string;
      contractSupplier: string;
      contractEnd: string | null;
      contractCategory: string | null;
      /** The UNSPSC code and title the payment's category was matched to (other_supplier_contract). */
      matchedCode: string | null;
      matchedTitle: string | null;
    };

export type Finding = {
  kind: AnomalyKind;
  /** 0..1, how strongly the evidence points to a real problem. */
  score: number;
  supplier: { id: string; name: string };
  amountAtStake: string;
  currency: string;
  details: FindingDetails;
  evidence: Evidence[];
};

export type AnomalyFilters = {
  supplierId?: string;
  dateFrom?: string;
  dateTo?: string;
  currency?: string;
};

/** What to look for and how strictly: the options of every anomaly query. */
export type AnomalyOptions = {
  kinds: readonly AnomalyKind[];
  filters: AnomalyFilters;
  /** Most findings returned per kind, strongest first. */
  limit: number;
  /** Days within which two payments can be duplicates or parts of one split purchase. */
  windowDays: number;
  /** The approval threshold split purchases stay under. */
  threshold: string;
  /** How far under the threshold (percent of it) a payment counts as "just under". */
  bandPct: number;
  /** Price variance (percent over the contract price) tolerated before it is reported. */
  tolerancePct: number;
  /** Duplicate pairs scoring below this are not reported. */
  minScore: number;
};

/** SQL for the file name of a stored source path: evidence names the file, not where an import once staged it. */
export function fileNameSql(col: string): string {
  return `regexp_replace(${col}, '^.*/', '')`;
}

/** The columns of a spend line as evidence, selected from alias `alias` with a column prefix. */
export function spendEvidenceColumns(alias: string, prefix: string): string {
  return `${alias}.id::text as ${prefix}id, ${alias}.date::text as ${prefix}date, ${alias}.amount::text as ${prefix}amount,
    ${alias}.currency::text as ${prefix}currency, ${alias}.invoice_number as ${prefix}invoice_number,
    ${alias}.po_number as ${prefix}po_number, coalesce(${alias}.description, ${alias}.category) as ${prefix}description,
    ${fileNameSql(`${alias}.source_file`)} as ${prefix}source_file, ${alias}.source_line as ${prefix}source_line`;
}

/** Reads the evidence of a spend line selected with `spendEvidenceColumns(alias, prefix)`. */
export function spendEvidence(row: Record<string, unknown>, prefix: string): Evidence {
  const s = (k: string) => {
    const v = row[`${prefix}${k}`];
    return v === null || v === undefined ? null : String(v);
  };
  const line = row[`${prefix}source_line`];
  return {
    source: 'spend_line',
    id: s('id') ?? '',
    date: s('date'),
    amount: s('amount'),
    currency: s('currency'),
    invoiceNumber: s('invoice_number'),
    reference: s('po_number'),
    description: s('description'),
    sourceFile: s('source_file'),
    sourceLine: line === null || line === undefined ? null : Number(line),
  };
}

/** Appends the WHERE conditions for spend line alias `alias` and returns them joined with "and" (or "true"). */
export function spendConditions(alias: string, f: AnomalyFilters, params: unknown[]): string {
  const where: string[] = [];
  const add = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (f.supplierId) where.push(`${alias}.supplier_id = ${add(f.supplierId)}::uuid`);
  if (f.dateFrom) where.push(`${alias}.date >= ${add(f.dateFrom)}::date`);
  if (f.dateTo) where.push(`${alias}.date <= ${add(f.dateTo)}::date`);
  if (f.currency) where.push(`${alias}.currency = ${add(f.currency)}`);
  return where.length > 0 ? where.join(' and ') : 'true';
}

/** Payments (spend lines) of the given suppliers that quote one of the given invoice numbers. */
export async function paymentsForInvoices(
  database: Database,
  pairs: { supplierId: string; invoiceNumber: string }[],
): Promise<Map<string, Evidence[]>> {
  const out = new Map<string, Evidence[]>();
  if (pairs.length === 0) return out;
  const rows = await database.query<Record<string, unknown> & { supplier_id: string; invoice_number: string }>(
    `select s.supplier_id::text as supplier_id, ${spendEvidenceColumns('s', 'p_')}, s.invoice_number
       from spend_lines s
       join unnest($1::uuid[], $2::text[]) as k(supplier_id, invoice_number)
         on s.supplier_id = k.supplier_id and s.invoice_number = k.invoice_number
      order by s.date, s.id`,
    [pairs.map((p) => p.supplierId), pairs.map((p) => p.invoiceNumber)],
  );
  for (const r of rows) {
    const key = `${r.supplier_id}|${r.invoice_number}`;
    const list = out.get(key) ?? [];
    list.push(spendEvidence(r, 'p_'));
    out.set(key, list);
  }
  return out;
}
