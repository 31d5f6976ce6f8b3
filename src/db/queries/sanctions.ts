// Reads of the imported sanctions lists for screening: which versions are current, every name they list, and the
// details of the entries a screening matched.
import type { Database } from '../client.js';

/** One imported version of a sanctions list. */
export type SanctionsListVersion = {
  id: number;
  source: string;
  version: string;
  entryCount: number;
  importedAt: string;
};

/** One name of a listed party, with the party's row id and type. */
export type SanctionsNameRow = {
  entry: number;
  entryType: string;
  name: string;
  kind: 'primary' | 'aka' | 'fka' | 'nka';
  strength: 'strong' | 'weak';
};

/** What a screening result shows about a listed party. */
export type SanctionsEntryDetail = {
  id: number;
  listId: number;
  entryId: string;
  name: string;
  entryType: string;
  programs: string[];
  title: string | null;
  remarks: string | null;
};

/** The newest version of each list source (by version, then by import order), oldest source name first. */
export async function latestSanctionsLists(database: Database): Promise<SanctionsListVersion[]> {
  const rows = await database.query<{
    id: number;
    source: string;
    version: string;
    entry_count: number;
    imported_at: string;
  }>(
    `select distinct on (source) id::int as id, source, version, entry_count::int as entry_count,
       imported_at::text as imported_at
     from sanctions_lists order by source, version desc, id desc`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    source: r.source,
    version: r.version,
    entryCount: Number(r.entry_count),
    importedAt: r.imported_at,
  }));
}

/** Every name of every entry of the given list versions. */
export async function sanctionsNamesOfLists(
  database: Database,
  listIds: readonly number[],
): Promise<SanctionsNameRow[]> {
  if (listIds.length === 0) return [];
  const rows = await database.query<{
    entry: number;
    entry_type: string;
    name: string;
    kind: string;
    strength: string;
  }>(
    `select n.entry_id::int as entry, e.entry_type, n.name, n.kind, n.strength
     from sanctions_names n join sanctions_entries e on e.id = n.entry_id
     where e.list_id = any($1::int[]) order by n.id`,
    [listIds],
  );
  return rows.map((r) => ({
    entry: Number(r.entry),
    entryType: r.entry_type,
    name: r.name,
    kind: r.kind as SanctionsNameRow['kind'],
    strength: r.strength as SanctionsNameRow['strength'],
  }));
}

/** The entries with these row ids, keyed by id. */
export async function sanctionsEntriesByIds(
  database: Database,
  ids: readonly number[],
): Promise<Map<number, SanctionsEntryDetail>> {
  if (ids.length === 0) return new Map();
  const rows = await database.query<{
    id: number;
    list_id: number;
    entry_id: string;
    name: string;
    entry_type: string;
    programs: string[] | null;
    title: string | null;
    remarks: string | null;
  }>(
    `select id::int as id, list_id::int as list_id, entry_id, name, entry_type, programs, title, remarks
     from sanctions_entries where id = any($1::int[])`,
    [ids],
  );
  return new Map(
    rows.map((r) => [
      Number(r.id),
      {
        id: Number(r.id),
        listId: Number(r.list_id),
        entryId: r.entry_id,
        name: r.name,
        entryType: r.entry_type,
        programs: r.programs ?? [],
        title: r.title,
        remarks: r.remarks,
      },
    ]),
  );
}
