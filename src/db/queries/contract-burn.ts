// What has been spent and committed against a contract: spend lines with its supplier in its currency from its
// start date, per month; open purchase orders that reference it and are not yet paid; and the contracts a burn
// check covers (active, with a value and an end date).
import type { Database } from '../client.js';
import type { ContractSummary } from './contracts.js';

export type BurnContract = Pick<
  ContractSummary,
  'id' | 'contractNumber' | 'title' | 'supplierId' | 'supplierName' | 'startDate' | 'endDate' | 'value' | 'currency' | 'noticePeriodDays' | 'autoRenew' | 'categoryCode'
> & { ownerEmail: string | null };

const COLUMNS = `c.id::text as "id", c.contract_number as "contractNumber", c.title, c.supplier_id::text as "supplierId",
  s.name as "supplierName", c.start_date::text as "startDate", c.end_date::text as "endDate", c.value::text as "value",
  c.currency::text as "currency", c.notice_period_days as "noticePeriodDays", c.auto_renew as "autoRenew",
  c.category_code as "categoryCode", c.owner_email as "ownerEmail"`;

/** Active contracts with a supplier, a value, a currency and an end date after `today` (optionally one supplier's). */
export async function burnContracts(database: Database, today: string, supplierId?: string): Promise<BurnContract[]> {
  return database.query<BurnContract>(
    `select ${COLUMNS}
       from contracts c join suppliers s on s.id = c.supplier_id
      where c.status = 'active' and c.value is not null and c.value > 0 and c.currency is not null
        and c.end_date is not null and c.end_date >= $1::date
        ${supplierId ? 'and c.supplier_id = $2::uuid' : ''}
      order by c.end_date, c.contract_number nulls last`,
    supplierId ? [today, supplierId] : [today],
  );
}

/** The contract with this id, in the shape the burn check reads. */
export async function burnContract(database: Database, id: string): Promise<BurnContract | undefined> {
  const [row] = await database.query<BurnContract>(
    `select ${COLUMNS} from contracts c left join suppliers s on s.id = c.supplier_id where c.id = $1::uuid`,
    [id],
  );
  return row;
}

/** Spend with the contract's supplier in its currency, per month (YYYY-MM), from its start date to `through`. */
export async function contractMonthlySpend(database: Database, c: BurnContract, through: string): Promise<Map<string, string>> {
  const rows = await database.query<{ month: string; total: string }>(
    `select to_char(date, 'YYYY-MM') as month, sum(amount)::text as total
       from spend_lines
      where supplier_id = $1::uuid and currency = $2 and date >= coalesce($3::date, '-infinity'::date) and date <= $4::date
      group by 1 order by 1`,
    [c.supplierId, c.currency, c.startDate, through],
  );
  return new Map(rows.map((r) => [r.month, r.total]));
}

/**
 * Open purchase orders that reference the contract and have no payment yet (no spend line carries their
 * number): committed money the spend lines do not show.
 */
export async function openCommitments(database: Database, contractId: string, currency: string): Promise<{ total: string; orders: number }> {
  const [row] = await database.query<{ total: string | null; orders: number }>(
    `select sum(p.total)::text as total, count(*)::int as orders
       from purchase_orders p
      where p.contract_id = $1::uuid and p.currency = $2 and p.status in ('open', 'partially_received')
        and not exists (select 1 from spend_lines s where s.po_number = p.po_number and s.supplier_id = p.supplier_id)`,
    [contractId, currency],
  );
  return { total: row?.total ?? '0', orders: Number(row?.orders ?? 0) };
}
