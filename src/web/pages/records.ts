// The Suppliers, Contracts and Findings pages: the supplier master with its status and aliases, the renewal
// calendar (notice deadlines) and all contracts, and the monitors' findings by status. Read-only views of the
// same queries the supplier and contract MCP tools and the monitors use.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { Database } from '../../db/client.js';
import { type FindingRow, type FindingStatus, listFindings } from '../../db/findings.js';
import { findContracts } from '../../db/queries/contracts.js';
import { noticeDeadlines } from '../../db/queries/renewal-deadlines.js';
import { type ExposureRow, supplierExposure } from '../../db/queries/supplier-risk.js';
import { supplierMasterList } from '../../db/queries/suppliers.js';
import { formatMoney } from '../../domain/money.js';
import { dismiss } from '../../monitors/dismiss.js';
import { SUPPLIER_RISK } from '../../monitors/supplier-risk-sanctions.js';
import { type ScreeningMatch, screenNames } from '../../screening/screen.js';
import { csrfField, type Html, page, table } from '../layout.js';
import type { Signed } from '../signed.js';

const FINDING_STATUSES: readonly FindingStatus[] = ['open', 'resolved', 'dismissed'];
const RENEWAL_WINDOW_DAYS = 180;
const money = (value: string | null, currency: string | null) => (value && currency ? formatMoney(value, currency) : '—');

function group<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) out.set(key(row), [...(out.get(key(row)) ?? []), row]);
  return out;
}

/** The best sanctions match of a supplier's name, with the listed entry it matched; "no match" otherwise. */
function sanctionsCell(m: ScreeningMatch | undefined): Html {
  if (!m) return html`no match`;
  const entry = `${m.list.source} ${m.list.version} entry ${m.entryId}: ${m.entryName}${m.programs.length > 0 ? ` [${m.programs.join(', ')}]` : ''}`;
  return html`<strong class="${m.band === 'strong' ? 'error' : 'warn'}">${m.band === 'strong' ? 'Strong match' : 'Possible match'}</strong> (score ${m.score.toFixed(2)})<br><span class="small">${entry}${m.matchedName.name !== m.entryName ? `, as ${m.matchedName.name}` : ''}</span>`;
}

/** The supplier's open supplier-risk findings, most severe first, each linked to the findings page. */
function findingsCell(rows: readonly FindingRow[]): Html | string {
  if (rows.length === 0) return 'none';
  const rank = { critical: 0, high: 1, warning: 2, info: 3 } as const;
  const sorted = [...rows].sort((a, b) => rank[a.severity] - rank[b.severity]);
  return html`<a href="/findings?status=open">${rows.length} open</a>: ${sorted.map((f, i) => html`${i > 0 ? '; ' : ''}${f.severity}: ${f.title}`)}`;
}

/** One exposure measure per currency, with how many payments or contracts make it up. */
function exposureCell(rows: readonly ExposureRow[], value: (e: ExposureRow) => string, count: (e: ExposureRow) => number, noun: string): string {
  const parts = rows.filter((e) => count(e) > 0).map((e) => `${formatMoney(value(e), e.currency)} (${count(e)} ${noun}${count(e) === 1 ? '' : 's'})`);
  return parts.join('; ') || '—';
}

/** Mounts GET /suppliers, /contracts and /findings. */
export function mountRecords(app: Hono, deps: { database: Database; signed: Signed; now: () => Date }): void {
  const { database, signed } = deps;

  app.get('/suppliers', async (c) => {
    const s = signed(c);
    if (!s) return c.redirect('/sign-in', 303);
    const list = await supplierMasterList(database);
    const today = deps.now().toISOString().slice(0, 10);
    const yearAgo = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
    // Risk: each name screened against the latest sanctions lists (one index for all), and the supplier-risk
    // monitor's open findings. Exposure: the last 12 months' payments and the value of contracts active today.
    const [screening, open, exposure] = await Promise.all([
      screenNames(
        database,
        list.map((r) => r.name),
        { limit: 1 },
      ),
      listFindings(database, { status: 'open', monitor: SUPPLIER_RISK, limit: 5000 }),
      supplierExposure(
        database,
        list.map((r) => r.id),
        { today, yearAgo },
      ),
    ]);
    const findingsOf = group(open.filter((f) => f.supplierId !== null), (f) => f.supplierId!);
    const exposureOf = group(exposure, (e) => e.supplierId);
    const screened = screening.lists.length > 0;
    const body = html`<p class="small">${
      screened
        ? `Names screened against ${screening.lists.map((l) => `${l.source} ${l.version}`).join(', ')}. A match is a lead to review, not a determination.`
        : 'No sanctions list imported, so no name is screened. Import one with npx qm import sanctions file.csv.'
    } Exposure: payments from ${yearAgo} to ${today} and contracts active today.</p>
${table(
  `${list.length} suppliers`,
  ['Supplier', 'Country', 'Status', 'Sanctions screening', 'Open risk findings', 'Paid, last 12 months', 'Active contracts', 'Also known as', 'Payments'],
  list.map((r) => [
    r.name,
    r.country ?? '—',
    r.status,
    screened ? sanctionsCell(screening.matches.get(r.name)?.[0]) : 'not screened',
    findingsCell(findingsOf.get(r.id) ?? []),
    exposureCell(exposureOf.get(r.id) ?? [], (e) => e.trailing12MonthSpend, (e) => e.counts.payments, 'payment'),
    exposureCell(exposureOf.get(r.id) ?? [], (e) => e.activeContractValue, (e) => e.counts.activeContracts, 'contract'),
    r.aliases.join('; ') || '—',
    String(r.spendLines),
  ]),
  'No suppliers yet. Import them with npx qm import suppliers file.csv.',
)}`;
    return c.html(page({ title: 'Suppliers', path: '/suppliers', principal: s.principal, csrf: s.csrf }, body));
  });

  app.get('/contracts', async (c) => {
    const s = signed(c);
    if (!s) return c.redirect('/sign-in', 303);
    const today = deps.now().toISOString().slice(0, 10);
    const [deadlines, all] = await Promise.all([noticeDeadlines(database, today, RENEWAL_WINDOW_DAYS), findContracts(database, { limit: 500, offset: 0 })]);
    const body = html`<h2>Renewal calendar</h2>
<p class="small">Notice deadlines in the next ${RENEWAL_WINDOW_DAYS} days, and passed ones for contracts that renew automatically.</p>
${table(
  'Notice deadlines',
  ['Notice by', 'Days left', 'Contract', 'Supplier', 'Ends', 'Auto-renews', 'Value'],
  deadlines.map((d) => [d.deadline, String(d.daysLeft), `${d.contractNumber ?? ''} ${d.title}`.trim(), d.supplierName ?? '—', d.endDate, d.autoRenew ? 'yes' : 'no', money(d.value, d.currency)]),
  `No notice deadline in the next ${RENEWAL_WINDOW_DAYS} days.`,
)}
<h2>All contracts</h2>
${table(
  'Contracts',
  ['Contract', 'Supplier', 'Status', 'Starts', 'Ends', 'Notice', 'Value'],
  all.contracts.map((k) => [`${k.contractNumber ?? ''} ${k.title}`.trim(), k.supplierName ?? '—', k.status, k.startDate ?? '—', k.endDate ?? '—', k.noticePeriodDays === null ? '—' : `${k.noticePeriodDays} days`, money(k.value, k.currency)]),
  'No contracts yet. Import them with npx qm import contracts file.csv.',
)}`;
    return c.html(page({ title: 'Contracts', path: '/contracts', principal: s.principal, csrf: s.csrf }, body));
  });

  const findings = async (c: Context, notice?: { ok: boolean; text: string }, code: 200 | 403 | 409 = 200) => {
    const s = signed(c);
    if (!s) return c.redirect('/sign-in', 303);
    const status = FINDING_STATUSES.find((x) => x === c.req.query('status')) ?? 'open';
    const list = await listFindings(database, { status, limit: 200 });
    // Dismissing is offered on open findings; the monitors' dismiss checks who may (the routed roles) and records why.
    const dismissForm = (id: string) =>
      html`<form method="post" action="/findings/${id}/dismiss" class="dismiss">${csrfField(s.csrf)}<label for="reason-${id}">Reason to dismiss</label>
<input id="reason-${id}" name="reason" required maxlength="2000"> <button type="submit">Dismiss</button></form>`;
    const body = html`${notice ? html`<p class="${notice.ok ? 'ok' : 'error'}" role="${notice.ok ? 'status' : 'alert'}">${notice.text}</p>` : ''}<form method="get" action="/findings" class="filters"><label for="status">Status</label>
<select id="status" name="status">${FINDING_STATUSES.map((x) => html`<option value="${x}"${x === status ? ' selected' : ''}>${x}</option>`)}</select>
<button type="submit">Show</button></form>
${table(
  `Findings (${status})`,
  ['Severity', 'Finding', 'Impact', 'Amount', 'Recommendation', 'For', 'Last seen', ...(status === 'open' ? ['Dismiss'] : [])],
  list.map((f) => [
    f.severity,
    html`<strong>${f.title}</strong><br><span class="small">${f.summary}</span>`,
    f.impact,
    money(f.amount, f.currency),
    f.recommendation,
    f.routeTo.join(', '),
    f.lastSeenAt.slice(0, 10),
    ...(status === 'open' ? [dismissForm(f.id)] : []),
  ]),
  status === 'open' ? 'No open findings. The monitors (npx qm monitor run) raise them here.' : `No ${status} findings.`,
)}`;
    return c.html(page({ title: 'Findings', path: '/findings', principal: s.principal, csrf: s.csrf }, body), code);
  };

  app.get('/findings', (c) => findings(c));

  app.post('/findings/:id/dismiss', async (c) => {
    const s = signed(c);
    if (!s) return c.redirect('/sign-in', 303);
    const form = await c.req.parseBody();
    const reason = typeof form.reason === 'string' ? form.reason.replace(/\u0000/g, '').trim() : '';
    const result = await dismiss(database, c.req.param('id'), s.principal.user.email, reason, deps.now());
    return findings(c, { ok: result.ok, text: result.message }, result.ok ? 200 : /may not/.test(result.message) ? 403 : 409);
  });
}
