// Monthly spend series for forecasting: totals per month, per group (the whole organisation, a category, a
// supplier or a department) and per currency, exact decimals from `numeric`. Categories and departments are
// grouped case-folded (the same account typed two ways is one series), named by their commonest spelling. Also: the data's last month, and the
// names a forecast key may match.
import type { Database } from '../client.js';

export type MonthlyGroupBy = 'total' | 'category' | 'supplier' | 'department';

/** Which lines a series is built from: every line, or those whose group key is one of `keys`. */
export type MonthlyScope = { keys?: string[]; currency?: string };

export type MonthlyRow = { key: string; label: string; currency: string; month: string; total: string; lines: number };

// The group key and label of a spend line `s` (joined to its supplier `p`) for each grouping.
const KEY: Record<MonthlyGroupBy, { key: string; label: string }> = {
  total: { key: `'total'`, label: `'All spend'` },
  category: { key: `lower(btrim(s.category))`, label: `mode() within group (order by btrim(s.category))` },
  supplier: { key: `s.supplier_id::text`, label: `min(p.name)` },
  department: { key: `lower(btrim(s.department))`, label: `mode() within group (order by btrim(s.department))` },
};

/** Month totals per group and currency (only months with lines; the caller zero-fills). */
export async function monthlySpend(database: Database, groupBy: MonthlyGroupBy, scope: MonthlyScope): Promise<MonthlyRow[]> {
  const params: unknown[] = [];
  const add = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const { key, label } = KEY[groupBy];
  const where: string[] = [];
  if (groupBy === 'category') where.push(`s.category is not null and btrim(s.category) <> ''`);
  if (groupBy === 'department') where.push(`s.department is not null and btrim(s.department) <> ''`);
  if (scope.keys) where.push(`${key} = any(${add(scope.keys)}::text[])`);
  if (scope.currency) where.push(`s.currency = ${add(scope.currency)}`);
  const rows = await database.query<MonthlyRow>(
    `with m as (
       select ${key} as key, s.currency::text as currency, to_char(s.date, 'YYYY-MM') as month,
              sum(s.amount) as total, count(*)::int as lines
         from spend_lines s
        ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
        group by 1, 2, 3)
     select m.key, l.label, m.currency, m.month, m.total::text as total, m.lines
       from m
       join (select ${key} as key, ${label} as label
               from spend_lines s ${groupBy === 'supplier' ? 'join suppliers p on p.id = s.supplier_id' : ''}
              ${where.length > 0 ? `where ${where.join(' and ')}` : ''}
              group by 1) l on l.key = m.key
      order by m.key, m.currency, m.month`,
    params,
  );
  return rows.map((r) => ({ ...r, lines: Number(r.lines) }));
}

/** The last date any spend line carries, as YYYY-MM-DD; undefined when none. */
export async function lastSpendDate(database: Database): Promise<string | undefined> {
  const [row] = await database.query<{ last: string | null }>(`select max(date)::text as last from spend_lines`);
  return row?.last ?? undefined;
}

/**
 * The category or department names `phrase` names: those equal to it (any case) if there are any, otherwise those
 * containing it as a whole word ("IT" → "IT hardware", "Managed IT services"; not "Capital").
 */
export async function matchGroupNames(
  database: Database,
  groupBy: 'category' | 'department',
  phrase: string,
): Promise<{ matchedBy: 'exact' | 'word'; keys: string[]; labels: string[] }> {
  const column = groupBy === 'category' ? 's.category' : 's.department';
  const exact = await database.query<{ key: string; label: string }>(
    `select lower(btrim(${column})) as key, mode() within group (order by btrim(${column})) as label from spend_lines s
      where lower(btrim(${column})) = lower(btrim($1)) group by 1`,
    [phrase],
  );
  if (exact.length > 0) return { matchedBy: 'exact', keys: exact.map((r) => r.key), labels: exact.map((r) => r.label) };
  // A regular-expression word match on the literal phrase: escape every character that means something to it.
  const literal = phrase.trim().replace(/[\\^$.*+?()[\]{}|]/g, (c) => `\\${c}`);
  const word = await database.query<{ key: string; label: string }>(
    `select lower(btrim(${column})) as key, mode() within group (order by btrim(${column})) as label from spend_lines s
      where ${column} ~* ('\\m' || $1 || '\\M') group by 1 order by 2`,
    [literal],
  );
  return { matchedBy: 'word', keys: word.map((r) => r.key), labels: word.map((r) => r.label) };
}

/** The closest category or department names to `phrase` (trigram-free: shared leading words and substrings). */
export async function closestGroupNames(database: Database, groupBy: 'category' | 'department', phrase: string): Promise<string[]> {
  const column = groupBy === 'category' ? 's.category' : 's.department';
  const first = phrase.trim().split(/\s+/)[0] ?? '';
  const rows = await database.query<{ label: string }>(
    `select mode() within group (order by btrim(${column})) as label from spend_lines s
      where ${column} ilike '%' || $1 || '%' group by lower(btrim(${column})) order by count(*) desc limit 5`,
    [first.replace(/[\\%_]/g, (c) => `\\${c}`).slice(0, 3)],
  );
  return rows.map((r) => r.label);
}
