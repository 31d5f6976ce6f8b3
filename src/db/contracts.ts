// Contracts, their contracted prices and the clauses extracted from their text.
import type { Connection, Database } from './client.js';
import { resolveSupplierNames } from './suppliers.js';

export type ContractStatus = 'draft' | 'active' | 'expired' | 'terminated';

/** A clause found in a contract's text: what it is, the quoted span, its normalised value and where it sits. */
export type NewContractClause = { kind: string; text: string; value?: string; start?: number; end?: number };

/** One contracted unit price. */
export type NewContractPrice = {
  sku?: string;
  description: string;
  categoryCode?: string;
  unit?: string;
  unitPrice: string;
  currency: string;
};

export type NewContract = {
  contractNumber?: string;
  title: string;
  /** Raw supplier name, resolved (and created when new) through the supplier aliases. */
  supplierName?: string;
  status?: ContractStatus;
  startDate?: string;
  endDate?: string;
  value?: string;
  currency?: string;
  noticePeriodDays?: number;
  autoRenew?: boolean;
  renewalTerm?: string;
  governingLaw?: string;
  categoryCode?: string;
  ownerEmail?: string;
  fullText?: string;
  textSha256?: string;
  sourceFile?: string;
  clauses: readonly NewContractClause[];
  prices: readonly NewContractPrice[];
};

/**
 * Stores contracts in one transaction, in order. A contract whose number or text hash is already stored is a
 * duplicate and adds nothing (not even prices or clauses). `onStored` hears, per contract, whether it was
 * inserted; `contracts` is consumed lazily so their texts need not all be in memory at once.
 */
export async function storeContracts(
  database: Database,
  batchId: number,
  contracts: AsyncIterable<NewContract> | Iterable<NewContract>,
  onStored: (contract: NewContract, inserted: boolean) => void,
): Promise<void> {
  await database.withConnection(async (conn) => {
    await conn.query('begin');
    try {
      for await (const c of contracts) onStored(c, await insertContract(conn, batchId, c));
      await conn.query('commit');
    } catch (err) {
      await conn.query('rollback').catch(() => {});
      throw err;
    }
  });
}

async function insertContract(conn: Connection, batchId: number, c: NewContract): Promise<boolean> {
  // Checked first so a duplicate never creates a supplier from an extracted name.
  const [existing] = await conn.query<{ id: string }>(
    'select id from contracts where contract_number = $1 or text_sha256 = $2 limit 1',
    [c.contractNumber ?? null, c.textSha256 ?? null],
  );
  if (existing) return false;
  let supplierId: string | null = null;
  if (c.supplierName) {
    const ids = await resolveSupplierNames(conn, [c.supplierName]);
    supplierId = ids.get(c.supplierName) ?? null;
  }
  const [row] = await conn.query<{ id: string }>(
    `insert into contracts (contract_number, title, supplier_id, status, start_date, end_date, value, currency,
       notice_period_days, auto_renew, renewal_term, governing_law, category_code, owner_email, full_text, text_sha256,
       source_file, batch_id)
     values ($1, $2, $3, coalesce($4, 'active'), $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
     on conflict do nothing
     returning id`,
    [
      c.contractNumber ?? null,
      c.title,
      supplierId,
      c.status ?? null,
      c.startDate ?? null,
      c.endDate ?? null,
      c.value ?? null,
      c.currency ?? null,
      c.noticePeriodDays ?? null,
      c.autoRenew ?? null,
      c.renewalTerm ?? null,
      c.governingLaw ?? null,
      c.categoryCode ?? null,
      c.ownerEmail ?? null,
      c.fullText ?? null,
      c.textSha256 ?? null,
      c.sourceFile ?? null,
      batchId,
    ],
  );
  if (!row) return false;
  if (c.clauses.length > 0) {
    await conn.query(
      `insert into contract_clauses (contract_id, kind, text, value, start_offset, end_offset)
       select $1::uuid, * from unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::int[])`,
      [
        row.id,
        c.clauses.map((k) => k.kind),
        c.clauses.map((k) => k.text),
        c.clauses.map((k) => k.value ?? null),
        c.clauses.map((k) => k.start ?? null),
        c.clauses.map((k) => k.end ?? null),
      ],
    );
  }
  if (c.prices.length > 0) {
    await conn.query(
      `insert into contract_prices (contract_id, sku, description, category_code, unit, unit_price, currency)
       select $1::uuid, sku, description, category_code, unit, unit_price::numeric, currency
       from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         as u(sku, description, category_code, unit, unit_price, currency)`,
      [
        row.id,
        c.prices.map((p) => p.sku ?? null),
        c.prices.map((p) => p.description),
        c.prices.map((p) => p.categoryCode ?? null),
        c.prices.map((p) => p.unit ?? null),
        c.prices.map((p) => p.unitPrice),
        c.prices.map((p) => p.currency),
      ],
    );
  }
  return true;
}
