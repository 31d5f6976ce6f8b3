// The Ledger and Metrics pages: the latest audit events (filtered by action or actor), the chain's verification
// on request (it reads the whole chain), and the success metrics computed from the ledger over a period.
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { computeMetrics, type MetricsRow } from '../../audit/metrics.js';
import { verifyLedger } from '../../audit/verify.js';
import type { Database } from '../../db/client.js';
import { recentAuditEvents } from '../../db/audit.js';
import { formatDuration as duration } from '../../domain/duration.js';
import { page, table } from '../layout.js';
import type { Signed } from '../signed.js';

const DAY_MS = 86_400_000;
const pct = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)}%`);

/** Mounts GET /ledger and /metrics. */
export function mountLedger(app: Hono, deps: { database: Database; signed: Signed; now: () => Date }): void {
  const { database, signed } = deps;

  app.get('/ledger', async (c) => {
    const s = signed(c);
    if (!s) return c.redirect('/sign-in', 303);
    const action = (c.req.query('action') ?? '').trim().slice(0, 100);
    const actor = (c.req.query('actor') ?? '').trim().slice(0, 320);
    const verify = c.req.query('verify') === '1';
    const [events, verdict] = await Promise.all([
      recentAuditEvents(database, { limit: 100, ...(action ? { action } : {}), ...(actor ? { actor } : {}) }),
      verify ? verifyLedger(database) : undefined,
    ]);
    const body = html`${
      verdict
        ? verdict.ok
          ? html`<p class="ok" role="status">The chain verifies: ${verdict.events} events, each linked to the one before by its hash.</p>`
          : html`<p class="error" role="alert">The chain is broken at event ${verdict.broken.seq}: ${verdict.broken.reason}</p>`
        : html`<form method="get" action="/ledger" data-busy><input type="hidden" name="verify" value="1"><button type="submit">Verify the chain</button></form>`
    }
<form method="get" action="/ledger" class="filters">
<div><label for="action">Action</label><input id="action" name="action" value="${action}" placeholder="approval_decision"></div>
<div><label for="actor">Actor</label><input id="actor" name="actor" value="${actor}"></div>
<button type="submit">Filter</button></form>
${table(
  'Latest events, newest first',
  ['#', 'When', 'Actor', 'Action', 'Subject', 'Why'],
  events.map((e) => [String(e.seq), e.at.slice(0, 19).replace('T', ' '), e.actor, e.action, e.subjectType ? `${e.subjectType} ${e.subjectId ?? ''}`.trim() : '—', e.rationale]),
  'No events match.',
)}
<p class="small">Export an evidence pack with <code>npx qm audit export</code>; anchor the head with <code>npx qm audit anchor --out FILE</code>.</p>`;
    return c.html(page({ title: 'Ledger', path: '/ledger', principal: s.principal, csrf: s.csrf }, body));
  });

  app.get('/metrics', async (c) => {
    const s = signed(c);
    if (!s) return c.redirect('/sign-in', 303);
    const days = Math.min(Math.max(Number.parseInt(c.req.query('days') ?? '90', 10) || 90, 1), 3650);
    const to = deps.now();
    const m = await computeMetrics(database, { from: new Date(to.getTime() - days * DAY_MS), to });
    const row = (r: MetricsRow) => [
      r.agent === '*' ? 'all' : r.agent,
      r.actionKind === '*' ? 'all' : r.actionKind.replaceAll('_', ' '),
      String(r.proposals),
      `${r.touchless} (${pct(r.touchlessRate)})`,
      `${duration(r.cycleP50Ms)} / ${duration(r.cycleP90Ms)}`,
      `${r.agreed}/${r.decided} (${pct(r.agreementRate)})`,
      String(r.overrides),
      String(r.reversals),
    ];
    const body = html`<form method="get" action="/metrics" class="filters"><label for="days">Last</label>
<select id="days" name="days">${[30, 90, 365].map((d) => html`<option value="${d}"${d === days ? ' selected' : ''}>${d} days</option>`)}</select><button type="submit">Show</button></form>
<dl class="facts"><div><dt>Touchless rate</dt><dd>${pct(m.overall.touchlessRate)}</dd></div>
<div><dt>Approval cycle time (median)</dt><dd>${duration(m.overall.cycleP50Ms)}</dd></div>
<div><dt>Agreement rate</dt><dd>${pct(m.overall.agreementRate)}</dd></div>
<div><dt>Overrides</dt><dd>${m.overall.overrides}</dd></div><div><dt>Reversals</dt><dd>${m.overall.reversals}</dd></div></dl>
${table(
  `By agent and action, ${m.from.slice(0, 10)} to ${m.to.slice(0, 10)}`,
  ['Agent', 'Action', 'Proposals', 'Touchless', 'Cycle p50 / p90', 'Agreed / decided', 'Overrides', 'Reversals'],
  m.rows.length > 0 ? [...m.rows, m.overall].map(row) : [],
  'No proposals in this period yet: ask for something in Ask, and the metrics fill in as requests are decided.',
)}`;
    return c.html(page({ title: 'Metrics', path: '/metrics', principal: s.principal, csrf: s.csrf }, body));
  });
}
