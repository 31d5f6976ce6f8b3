// Active contracts whose notice deadline (end date minus notice period) is near: the facts the renewal
// deadlines monitor raises findings from. Also those whose deadline has passed while the contract, which
// renews by itself, still runs.
import type { Database } from '../client.js';

export type NoticeDeadline = {
  id: string;
  contractNumber: string | null;
  title: string;
  supplierId: string | null;
  supplierName: string | null;
  startDate: string | null;
  endDate: string;
  value: string | null;
  currency: string | null;
  noticePeriodDays: number;
  autoRenew: boolean | null;
  renewalTerm: string | null;
  ownerEmail: string | null;
  categoryCode: string | null;
  /** End date minus the notice period. */
  deadline: string;
  /** Days from `today` to the deadline (negative once it has passed). */
  daysLeft: number;
};

/**
 * Active contracts not yet ended whose notice deadline falls within `withinDays` of `today`, or has passed
 * for a contract that renews automatically; nearest deadline first.
 */
export async function noticeDeadlines(database: Database, today: string, withinDays: number): Promise<NoticeDeadline[]> {
  const rows = await database.query<NoticeDeadline>(
    `select c.id::text as "id", c.contract_number as "contractNumber", c.title, c.supplier_id::text as "supplierId",
            s.name as "supplierName", c.start_date::text as "startDate", c.end_date::text as "endDate",
            case when c.value is null then null when c.value = round(c.value, 2) then round(c.value, 2)::text
                 else trim_scale(c.value)::text end as "value",
            trim(c.currency) as "currency", c.notice_period_days as "noticePeriodDays", c.auto_renew as "autoRenew",
            c.renewal_term as "renewalTerm", c.owner_email as "ownerEmail", c.category_code as "categoryCode",
            (c.end_date - c.notice_period_days)::text as "deadline",
            ((c.end_date - c.notice_period_days) - $1::date)::int as "daysLeft"
       from contracts c left join suppliers s on s.id = c.supplier_id
      where c.status = 'active' and c.end_date >= $1::date and c.notice_period_days is not null
        and c.end_date - c.notice_period_days <= $1::date + $2::int
        and (c.end_date - c.notice_period_days >= $1::date or c.auto_renew)
      order by c.end_date - c.notice_period_days, c.contract_number nulls last, c.id`,
    [today, withinDays],
  );
  return rows.map((r) => ({ ...r, noticePeriodDays: Number(r.noticePeriodDays), daysLeft: Number(r.daysLeft) }));
}
