// The Suppliers, Contracts and Findings pages: the supplier master with its status and aliases, the renewal
// calendar (notice deadlines) and all contracts, and the monitors' findings by status. Read-only views of the
// same queries the supplier and contract MCP tools and the monitors use.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import type { Database } from '../../db/client.js';
import { type FindingStatus, listFindings } from '../../db/findings.js';
import { findContracts } from '../../db/queries/contracts.js';
import { noticeDeadlines } from '../../db/queries/renewal-deadlines.js';
import { supplierMasterList } from '../../db/queries/suppliers.js';
import { formatMoney } from '../../domain/money.js';
import { dismiss } from '../../monitors/dismiss.js';
import { csrfField, page, table } from '../layout.js';
import type { Signed } from '../signed.js';

const FINDING_STATUSES: readonly FindingStatus[] = ['open', 'resolved', 'dismissed'];
const RENEWAL_WINDOW_DAYS = 180;
const money = (value: string | null, currency: string | null) => (value && currency ? formatMoney(value, currency) : '—');

/** Mounts GET /suppliers, /contracts and /findings. */
export function mountRecords(app: Hono, deps: { database: Database; signed: Signed; now: () => Date }): void {
  const { database, signed } = deps;

  app.get('/suppliers', async (c) => {
    const s = signed(c);
    if (!s) return c.redirect('/sign-in', 303);
    const list = await supplierMasterList(database);
    const body = table(
      `${list.length} suppliers`,
      ['Supplier', 'Country', 'Status', 'Tax id', 'Also known as', 'Payments'],
      list.map((r) => [r.name, r.country ?? '—', r.status, r.taxId ?? '—', r.aliases.join('; ') || '—', String(r.spendLines)]),
      'No suppliers yet. Import them with npx qm import suppliers file.csv.',
    );
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
