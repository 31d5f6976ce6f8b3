// Suppliers in one master-data status ("which suppliers are on hold?"), by name.
import { and, asc, count, eq, type SQL, sql } from 'drizzle-orm';
import type { Database } from '../client.js';
import { suppliers } from '../schema.js';

export type SupplierStatus = (typeof suppliers.$inferSelect)['status'];

/** Ids of the suppliers with `status` (and `country`, when given), by name, and how many there are in all. */
export async function suppliersByStatus(
  database: Database,
  f: { status: SupplierStatus; country?: string; limit: number; offset: number },
): Promise<{ ids: string[]; total: number }> {
  const where: SQL | undefined = and(
    eq(suppliers.status, f.status),
    f.country ? sql`upper(${suppliers.country}) = ${f.country.toUpperCase()}` : undefined,
  );
  const [rows, [all]] = await Promise.all([
    database.db.select({ id: suppliers.id }).from(suppliers).where(where).orderBy(asc(suppliers.name), asc(suppliers.id)).limit(f.limit).offset(f.offset),
    database.db.select({ n: count() }).from(suppliers).where(where),
  ]);
  return { ids: rows.map((r) => r.id), total: Number(all?.n ?? 0) };
}
