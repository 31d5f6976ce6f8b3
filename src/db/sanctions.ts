// Sanctions lists: each import is a new list version, loaded set-based from one staging table in one transaction.
import type { Connection } from './client.js';
import { copyCsvLine } from './client.js';

export type SanctionsListHeader = { source: string; version: string; sha256: string };

export type StagedSanctionsEntry = {
  line: number;
  entryId: string;
  name: string;
  normalizedName: string;
  entryType: string;
  programs: readonly string[];
  title?: string;
  remarks?: string;
};

export type StagedSanctionsName = {
  entryId: string;
  name: string;
  normalizedName: string;
  kind: 'primary' | 'aka' | 'fka' | 'nka';
  strength: 'strong' | 'weak';
};

// Entries and their names share one stage (names have `name_kind` set) so a file streams through a single COPY.
const STAGE_COLUMNS = [
  'line',
  'entry_id',
  'name',
  'normalized_name',
  'entry_type',
  'programs',
  'title',
  'remarks',
  'name_kind',
  'strength',
] as const;

// Programs travel as one text cell; the unit separator never occurs in a program code.
const PROGRAM_SEPARATOR = '\u001f';

/** Encodes an entry as a COPY line for the sanctions stage. */
export function sanctionsEntryLine(e: StagedSanctionsEntry): string {
  return copyCsvLine([
    e.line,
    e.entryId,
    e.name,
    e.normalizedName,
    e.entryType,
    e.programs.join(PROGRAM_SEPARATOR),
    e.title,
    e.remarks,
    null,
    null,
  ]);
}

/** Encodes one name of an entry as a COPY line for the sanctions stage. */
export function sanctionsNameLine(n: StagedSanctionsName): string {
  return copyCsvLine([null, n.entryId, n.name, n.normalizedName, null, null, null, null, n.kind, n.strength]);
}

/**
 * Creates a list version and loads the staged `lines` (entries and names) into it, all in one transaction.
 * Returns undefined, leaving `lines` unread, when a list with the same source and sha256 already exists.
 */
export async function loadSanctionsList(
  conn: Connection,
  list: SanctionsListHeader,
  lines: AsyncIterable<string>,
): Promise<{ listId: number; entries: number; names: number } | undefined> {
  await conn.query('begin');
  try {
    // A concurrent import of the same file waits here for the first to commit, then finds the conflict.
    const [created] = await conn.query<{ id: number }>(
      `insert into sanctions_lists (source, version, sha256) values ($1, $2, $3)
       on conflict (source, sha256) do nothing returning id`,
      [list.source, list.version, list.sha256],
    );
    if (!created) {
      await conn.query('rollback');
      return undefined;
    }
    const listId = Number(created.id);
    await conn.query(
      `create temp table sanctions_stage (
         line integer, entry_id text not null, name text not null, normalized_name text not null, entry_type text,
         programs text, title text, remarks text, name_kind text, strength text) on commit drop`,
    );
    await conn.copyIn('sanctions_stage', STAGE_COLUMNS, lines);
    const [counts] = await conn.query<{ entries: number; names: number }>(
      `with entries as (
         insert into sanctions_entries (list_id, entry_id, name, normalized_name, entry_type, programs, title, remarks,
           source_line)
         select $1, s.entry_id, s.name, s.normalized_name, s.entry_type,
           case when coalesce(s.programs, '') = '' then '{}'::text[] else string_to_array(s.programs, chr(31)) end,
           s.title, s.remarks, s.line
         from sanctions_stage s where s.name_kind is null
         order by s.line
         returning id, entry_id
       ), names as (
         insert into sanctions_names (entry_id, name, normalized_name, kind, strength)
         select e.id, s.name, s.normalized_name, s.name_kind, s.strength
         from sanctions_stage s join entries e on e.entry_id = s.entry_id
         where s.name_kind is not null
         returning 1
       )
       select (select count(*) from entries)::int as entries, (select count(*) from names)::int as names`,
      [listId],
    );
    const entries = Number(counts!.entries);
    await conn.query('update sanctions_lists set entry_count = $2 where id = $1', [listId, entries]);
    await conn.query('commit');
    return { listId, entries, names: Number(counts!.names) };
  } catch (err) {
    await conn.query('rollback').catch(() => {});
    throw err;
  }
}
