// The category tree: UNSPSC codes upserted set-based from a staging table, in one transaction per file.
import type { Connection } from './client.js';
import { copyCsvLine } from './client.js';

export type CategoryLevel = 'segment' | 'family' | 'class' | 'commodity';

export type StagedCategory = {
  code: string;
  level: CategoryLevel;
  title: string;
  parentCode?: string;
  /** A row of the file (counted in the outcome), rather than an ancestor implied by one. */
  counted: boolean;
};

const STAGE_COLUMNS = ['code', 'level', 'title', 'parent_code', 'counted'] as const;

/** Encodes a category as a COPY line for the category stage. */
export function categoryStageLine(c: StagedCategory): string {
  return copyCsvLine([c.code, c.level, c.title, c.parentCode, c.counted ? 't' : 'f']);
}

/**
 * Upserts the staged `lines` into `categories` as UNSPSC codes. Codes staged more than once keep their counted
 * (file row) version. Returns how many counted codes were staged and how many of those were inserted or changed.
 */
export async function upsertUnspscCategories(
  conn: Connection,
  lines: AsyncIterable<string>,
): Promise<{ staged: number; changed: number }> {
  await conn.query('begin');
  try {
    await conn.query(
      `create temp table category_stage (
         code text not null, level text not null, title text not null, parent_code text, counted boolean not null)
       on commit drop`,
    );
    await conn.copyIn('category_stage', STAGE_COLUMNS, lines);
    const [counts] = await conn.query<{ staged: number; changed: number }>(
      `with src as (
         select distinct on (code) code, level, title, parent_code, counted
         from category_stage order by code, counted desc
       ), up as (
         insert into categories as c (code, scheme, level, title, parent_code)
         select code, 'unspsc', level, title, parent_code from src
         on conflict (code) do update
           set scheme = excluded.scheme, level = excluded.level, title = excluded.title, parent_code = excluded.parent_code
           where (c.scheme, c.level, c.title, c.parent_code)
             is distinct from (excluded.scheme, excluded.level, excluded.title, excluded.parent_code)
         returning code
       )
       select (select count(*) from src where counted)::int as staged,
              (select count(*) from up join src using (code) where src.counted)::int as changed`,
    );
    await conn.query('commit');
    return { staged: Number(counts!.staged), changed: Number(counts!.changed) };
  } catch (err) {
    await conn.query('rollback').catch(() => {});
    throw err;
  }
}
