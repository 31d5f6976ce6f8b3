// The departments and categories an organisation's spend lines use, each with how many payments carry it: the
// vocabulary a person's "IT", "HR" or "cleaning" is matched against (src/domain/term-match.ts). Values are grouped
// case- and space-insensitively, as the spend summary groups them.
import type { Term } from '../../domain/term-match.js';
import type { Database } from '../client.js';

export type SpendTermKind = 'department' | 'category';

/** Every distinct department or category (key: the lower-cased trimmed value), most used first. */
export async function spendTerms(database: Database, kind: SpendTermKind): Promise<Term[]> {
  const column = kind === 'department' ? 'department' : 'category';
  const rows = await database.query<{ key: string; label: string; n: number }>(
    `select lower(btrim(${column})) as key, max(btrim(${column})) as label, count(*)::int as n
       from spend_lines
      where nullif(btrim(${column}), '') is not null
      group by 1
      order by 3 desc, 1`,
  );
  return rows.map((r) => ({ key: r.key, label: r.label, payments: Number(r.n) }));
}
