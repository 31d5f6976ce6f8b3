// Monthly quantities for demand forecasting: units ordered on purchase order lines (by order date) or received
// on goods receipts (by receipt date), per item (its SKU, else its description, case-folded) or per category
// code, and per unit of measure (quantities in different units are never added). Cancelled orders are left out.
import type { Database } from '../client.js';

export type DemandGroupBy = 'item' | 'category';
export type DemandBasis = 'ordered' | 'received';

export type DemandRow = { key: string; label: string; unit: string; month: string; total: string; lines: number };

const KEY: Record<DemandGroupBy, { key: string; label: string }> = {
  item: {
    key: `coalesce(nullif(lower(btrim(l.sku)), ''), lower(btrim(l.description)))`,
    label: `mode() within group (order by btrim(l.description))`,
  },
  category: { key: `l.category_code`, label: `min(l.category_code)` },
};

const UNIT = `coalesce(nullif(lower(btrim(l.unit)), ''), 'units')`;

function source(basis: DemandBasis): { from: string; date: string; quantity: string } {
  return basis === 'ordered'
    ? { from: 'purchase_order_lines l join purchase_orders p on p.id = l.po_id', date: 'p.order_date', quantity: 'l.quantity' }
    : {
        from: 'goods_receipts r join purchase_order_lines l on l.id = r.po_line_id join purchase_orders p on p.id = l.po_id',
        date: 'r.received_on',
        quantity: 'r.quantity',
      };
}

/** Month quantities per group and unit (only months with lines; the caller zero-fills). */
export async function monthlyDemand(database: Database, groupBy: DemandGroupBy, basis: DemandBasis, keys?: string[]): Promise<DemandRow[]> {
  const { key, label } = KEY[groupBy];
  const { from, date, quantity } = source(basis);
  const where = [`p.status <> 'cancelled'`, `${key} is not null`, ...(keys ? [`${key} = any($1::text[])`] : [])].join(' and ');
  const rows = await database.query<DemandRow>(
    `with m as (
       select ${key} as key, ${UNIT} as unit, to_char(${date}, 'YYYY-MM') as month, sum(${quantity})::text as total, count(*)::int as lines
         from ${from} where ${where} group by 1, 2, 3),
     n as (select ${key} as key, ${label} as label from ${from} where ${where} group by 1)
     select m.key, n.label, m.unit, m.month, m.total, m.lines from m join n on n.key = m.key order by 1, 3, 4`,
    keys ? [keys] : [],
  );
  return rows.map((r) => ({ ...r, lines: Number(r.lines) }));
}

/** The last date on an order (or a receipt), as YYYY-MM-DD; undefined when there is none. */
export async function lastDemandDate(database: Database, basis: DemandBasis): Promise<string | undefined> {
  const { from, date } = source(basis);
  const [row] = await database.query<{ last: string | null }>(`select max(${date})::text as last from ${from}`);
  return row?.last ?? undefined;
}

/**
 * The items or categories `phrase` names: an item by SKU or description equal to it (any case) first, else items
 * whose description has it as a whole word; a category by its code, else codes starting with it.
 */
export async function matchDemandKeys(
  database: Database,
  groupBy: DemandGroupBy,
  phrase: string,
): Promise<{ matchedBy: 'exact' | 'word' | 'prefix'; keys: string[]; labels: string[] }> {
  const { key, label } = KEY[groupBy];
  const from = 'purchase_order_lines l';
  const exactWhere = groupBy === 'item' ? `(lower(btrim(l.sku)) = lower(btrim($1)) or lower(btrim(l.description)) = lower(btrim($1)))` : `l.category_code = btrim($1)`;
  const exact = await database.query<{ key: string; label: string }>(`select ${key} as key, ${label} as label from ${from} where ${exactWhere} group by 1 order by 2`, [phrase]);
  if (exact.length > 0) return { matchedBy: 'exact', keys: exact.map((r) => r.key), labels: exact.map((r) => r.label) };
  const loose =
    groupBy === 'item'
      ? await database.query<{ key: string; label: string }>(
          `select ${key} as key, ${label} as label from ${from} where l.description ~* ('\\m' || $1 || '\\M') group by 1 order by 2`,
          [phrase.trim().replace(/[\\^$.*+?()[\]{}|]/g, (c) => `\\${c}`)],
        )
      : await database.query<{ key: string; label: string }>(
          `select ${key} as key, ${label} as label from ${from} where l.category_code like $1 || '%' group by 1 order by 2`,
          [phrase.trim().replace(/[\\%_]/g, (c) => `\\${c}`)],
        );
  return { matchedBy: groupBy === 'item' ? 'word' : 'prefix', keys: loose.map((r) => r.key), labels: loose.map((r) => r.label) };
}
