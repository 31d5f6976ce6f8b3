// Supplier master data: resolution of raw names to supplier records, and upserts from a supplier file.
import { normalizeSupplierName } from '../domain/supplier-name.js';
import type { Connection } from './client.js';

// Serialises supplier creation between concurrent imports, so two processes never create the same supplier twice.
const RESOLUTION_LOCK_KEY = 7_351_043;

/**
 * Resolves raw supplier names to supplier ids, creating what is missing. A raw name attaches to an existing
 * supplier only through a known alias or an exact normalised-name match; anything else becomes a new
 * supplier with the raw name kept as its alias. Must run inside a transaction on `conn`.
 */
export async function resolveSupplierNames(conn: Connection, rawNames: Iterable<string>): Promise<Map<string, string>> {
  await conn.query('select pg_advisory_xact_lock($1)', [RESOLUTION_LOCK_KEY]);
  const names = [...new Set(rawNames)];
  const resolved = new Map<string, string>();
  for (let i = 0; i < names.length; i += 5000) {
    const chunk = names.slice(i, i + 5000);
    const known = await conn.query<{ name: string; supplier_id: string }>(
      'select name, supplier_id from supplier_aliases where name = any($1::text[])',
      [chunk],
    );
    for (const k of known) resolved.set(k.name, k.supplier_id);
  }
  const unknown = names.filter((n) => !resolved.has(n));
  if (unknown.length === 0) return resolved;

  const byNorm = new Map<string, string[]>();
  for (const raw of unknown) {
    const norm = normalizeSupplierName(raw) || raw.trim().toLowerCase();
    const list = byNorm.get(norm);
    if (list) list.push(raw);
    else byNorm.set(norm, [raw]);
  }
  const norms = [...byNorm.keys()];
  const existing = new Map<string, string>();
  for (let i = 0; i < norms.length; i += 5000) {
    const chunk = norms.slice(i, i + 5000);
    // Oldest first, so an ambiguous normalised name always resolves to the same, first-known supplier.
    const rows = await conn.query<{ normalized_name: string; id: string }>(
      `select normalized_name, id from (
         select s.normalized_name, s.id, s.created_at from suppliers s where s.normalized_name = any($1::text[])
         union all
         select a.normalized_name, a.supplier_id, a.created_at from supplier_aliases a where a.normalized_name = any($1::text[])
       ) x order by created_at, id`,
      [chunk],
    );
    for (const r of rows) if (!existing.has(r.normalized_name)) existing.set(r.normalized_name, r.id);
  }

  const missing = [...byNorm.entries()].filter(([norm]) => !existing.has(norm));
  for (let i = 0; i < missing.length; i += 2000) {
    const chunk = missing.slice(i, i + 2000);
    const created = await conn.query<{ id: string; normalized_name: string }>(
      `insert into suppliers (name, normalized_name)
       select * from unnest($1::text[], $2::text[]) returning id, normalized_name`,
      [chunk.map(([, raws]) => displayName(raws)), chunk.map(([norm]) => norm)],
    );
    for (const c of created) existing.set(c.normalized_name, c.id);
  }
  const newAliases: { name: string; norm: string; supplierId: string }[] = [];
  for (const [norm, raws] of byNorm) {
    const id = existing.get(norm)!;
    for (const raw of raws) {
      newAliases.push({ name: raw, norm, supplierId: id });
      resolved.set(raw, id);
    }
  }
  for (let i = 0; i < newAliases.length; i += 2000) {
    const chunk = newAliases.slice(i, i + 2000);
    await conn.query(
      `insert into supplier_aliases (supplier_id, name, normalized_name)
       select * from unnest($1::uuid[], $2::text[], $3::text[]) on conflict (name) do nothing`,
      [chunk.map((a) => a.supplierId), chunk.map((a) => a.name), chunk.map((a) => a.norm)],
    );
  }
  return resolved;
}

// The spelling a new supplier is shown under: the first raw spelling, trimmed and with spaces collapsed.
function displayName(raws: string[]): string {
  return raws[0]!.trim().replace(/\s+/g, ' ');
}
