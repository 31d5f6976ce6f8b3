// The facts governance needs about an action's subject: supplier status, category and risk, and whether a
// contract covers the purchase. Looked up here so the policy engine itself stays pure.
import type { Queryable } from './client.js';

export type SubjectFacts = {
  supplierName?: string;
  supplierStatus?: 'active' | 'on_hold' | 'blocked' | 'inactive';
  supplierCategory?: string | null;
  /** high: a sanctions signal or one of severity ≥ 4 in the last year; medium: severity 3; low otherwise. */
  supplierRisk?: 'low' | 'medium' | 'high';
  contractStatus?: 'active' | 'expired' | 'none';
  contractCategory?: string | null;
  contractSupplierId?: string | null;
};

/** Facts about the supplier and/or contract an action names (ids that do not exist yield no facts). */
export async function subjectFacts(q: Queryable, ids: { supplierId?: string; contractId?: string }, today: string): Promise<SubjectFacts> {
  const facts: SubjectFacts = {};
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  let supplierId = ids.supplierId && uuid.test(ids.supplierId) ? ids.supplierId : undefined;
  if (ids.contractId && uuid.test(ids.contractId)) {
    const [c] = await q.query<{ status: string; end_date: string | null; category_code: string | null; supplier_id: string | null }>(
      'select status, end_date::text, category_code, supplier_id::text from contracts where id = $1::uuid',
      [ids.contractId],
    );
    if (c) {
      facts.contractStatus = c.status === 'active' && (!c.end_date || c.end_date >= today) ? 'active' : 'expired';
      facts.contractCategory = c.category_code;
      facts.contractSupplierId = c.supplier_id;
      supplierId ??= c.supplier_id ?? undefined;
    }
  }
  if (!supplierId) return facts;
  const [s] = await q.query<{ name: string; status: SubjectFacts['supplierStatus']; category_code: string | null; worst: number | null; sanctions: boolean; contract: string | null }>(
    `select s.name, s.status, s.category_code,
            (select max(severity) from risk_signals r where r.supplier_id = s.id and r.observed_at >= $2::date - interval '365 days') as worst,
            exists (select 1 from risk_signals r where r.supplier_id = s.id and r.kind = 'sanctions' and r.observed_at >= $2::date - interval '365 days') as sanctions,
            (select case when bool_or(c.status = 'active' and (c.end_date is null or c.end_date >= $2::date)) then 'active' else 'expired' end
               from contracts c where c.supplier_id = s.id) as contract
       from suppliers s where s.id = $1::uuid`,
    [supplierId, today],
  );
  if (!s) return facts;
  facts.supplierName = s.name;
  facts.supplierStatus = s.status;
  facts.supplierCategory = s.category_code;
  const worst = s.worst == null ? 0 : Number(s.worst);
  facts.supplierRisk = s.sanctions || worst >= 4 ? 'high' : worst === 3 ? 'medium' : 'low';
  facts.contractStatus ??= (s.contract as SubjectFacts['contractStatus']) ?? 'none';
  return facts;
}
