// Supplier and user master records loaded from files.
import { normalizeSupplierName } from '../domain/supplier-name.js';
import { linkChatIdentity } from './chat-identities.js';
import type { Connection } from './client.js';

export type SupplierRecord = {
  name: string;
  external_id?: string;
  country?: string;
  tax_id?: string;
  category?: string;
  email?: string;
  status?: 'active' | 'on_hold' | 'blocked' | 'inactive';
  aliases?: string[];
};

/**
 * Adds a supplier master record, or fills the gaps of the one it matches (same external id, else a known alias
 * or the same normalised name). Returns 'inserted', 'updated' or 'unchanged'. Runs inside the caller's transaction.
 */
export async function upsertSupplier(conn: Connection, s: SupplierRecord): Promise<'inserted' | 'updated' | 'unchanged'> {
  const norm = normalizeSupplierName(s.name) || s.name.trim().toLowerCase();
  let [match] = s.external_id
    ? await conn.query<{ id: string }>('select id from suppliers where external_id = $1', [s.external_id])
    : [];
  if (!match) {
    [match] = await conn.query<{ id: string }>(
      `select id from (
         select supplier_id as id, created_at from supplier_aliases where name = $1
         union all select id, created_at from suppliers where normalized_name = $2 and (external_id is null or $3::text is null)
         union all select supplier_id, created_at from supplier_aliases where normalized_name = $2
       ) x order by created_at limit 1`,
      [s.name, norm, s.external_id ?? null],
    );
  }
  let outcome: 'inserted' | 'updated' | 'unchanged';
  let id: string;
  if (!match) {
    const [row] = await conn.query<{ id: string }>(
      `insert into suppliers (external_id, name, normalized_name, country, tax_id, category_code, email, status)
       values ($1, $2, $3, $4, $5, $6, $7, coalesce($8, 'active')) returning id`,
      [s.external_id ?? null, s.name, norm, s.country ?? null, s.tax_id ?? null, s.category ?? null, s.email ?? null, s.status ?? null],
    );
    id = row!.id;
    outcome = 'inserted';
  } else {
    id = match.id;
    // Only fill what is missing or explicitly given: a supplier file never blanks out known master data.
    const changed = await conn.query(
      `update suppliers set
         external_id = coalesce(external_id, $2), country = coalesce($3, country), tax_id = coalesce($4, tax_id),
         category_code = coalesce($5, category_code), email = coalesce($6, email), status = coalesce($7, status),
         updated_at = now()
       where id = $1 and (
         ($2::text is not null and external_id is null) or ($3::text is not null and country is distinct from $3) or
         ($4::text is not null and tax_id is distinct from $4) or ($5::text is not null and category_code is distinct from $5) or
         ($6::text is not null and email is distinct from $6) or ($7::text is not null and status is distinct from $7))
       returning id`,
      [id, s.external_id ?? null, s.country ?? null, s.tax_id ?? null, s.category ?? null, s.email ?? null, s.status ?? null],
    );
    outcome = changed.length > 0 ? 'updated' : 'unchanged';
  }
  const names = [s.name, ...(s.aliases ?? [])];
  const added = await conn.query(
    `insert into supplier_aliases (supplier_id, name, normalized_name, source)
     select $1, n, m, 'master' from unnest($2::text[], $3::text[]) as t(n, m) on conflict (name) do nothing returning id`,
    [id, names, names.map((n) => normalizeSupplierName(n) || n.trim().toLowerCase())],
  );
  if (outcome === 'unchanged' && added.length > 0) outcome = 'updated';
  return outcome;
}

export type UserRecord = {
  email: string;
  name: string;
  roles: string[];
  department?: string;
  title?: string;
  manager_email?: string;
  slack_user_id?: string;
  teams_aad_object_id?: string;
  active?: boolean;
};

/**
 * Inserts or updates a user by email, and links their Slack and Teams identities (chat_identities). Returns
 * 'inserted', 'updated' or 'unchanged'.
 */
export async function upsertUser(conn: Connection, u: UserRecord): Promise<'inserted' | 'updated' | 'unchanged'> {
  const [row] = await conn.query<{ inserted: boolean } | undefined>(
    `insert into users (email, name, roles, department, title, manager_email, active)
     values ($1, $2, $3::text[], $4, $5, $6, coalesce($7, true))
     on conflict (email) do update set
       name = excluded.name, roles = excluded.roles, department = coalesce(excluded.department, users.department),
       title = coalesce(excluded.title, users.title), manager_email = coalesce(excluded.manager_email, users.manager_email),
       active = coalesce($7, users.active), updated_at = now()
     where (users.name, users.roles, users.department, users.title, users.manager_email, users.active)
       is distinct from
           (excluded.name, excluded.roles, coalesce(excluded.department, users.department), coalesce(excluded.title, users.title),
            coalesce(excluded.manager_email, users.manager_email), coalesce($7, users.active))
     returning (xmax = 0) as inserted`,
    [u.email, u.name, u.roles, u.department ?? null, u.title ?? null, u.manager_email ?? null, u.active ?? null],
  );
  let linked = false;
  if (u.slack_user_id || u.teams_aad_object_id) {
    const [user] = await conn.query<{ id: string }>('select id::text from users where email = $1', [u.email]);
    if (user) {
      if (u.slack_user_id) linked = (await linkChatIdentity(conn, { platform: 'slack', externalId: u.slack_user_id }, user.id)) || linked;
      if (u.teams_aad_object_id) linked = (await linkChatIdentity(conn, { platform: 'teams', externalId: u.teams_aad_object_id }, user.id)) || linked;
    }
  }
  if (row) return row.inserted ? 'inserted' : 'updated';
  return linked ? 'updated' : 'unchanged';
}
