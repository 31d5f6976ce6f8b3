// The Ledger and Metrics pages: the latest audit events (filtered by action or actor), the chain's verification
// on request (it reads the whole chain), the evidence pack of a period as a download (the same JSONL pack as
// `qm audit export`, streamed), and the success metrics computed from the ledger over a period.
import { PassThrough, Readable } from 'node:stream';
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { writePack } from '../../audit/export.js';
import { computeMetrics, type MetricsRow } from '../../audit/metrics.js';
import { verifyLedger } from '../../audit/verify.js';
import { recentAuditEvents } from '../../db/audit.js';
import type { Database } from '../../db/client.js';
import { formatDuration as duration } from '../../domain/duration.js';
import { page, table } from '../layout.js';
import type { Signed } from '../signed.js';

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const EXPORT_DAYS = 90;

/** A calendar date (UTC) as the start of that day; undefined when it is not one. */
function dayStart(value: string | undefined): Date | undefined {
  if (!value || !ISO_DATE.test(value)) return undefined;
  const d = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value ? undefined : d;
}
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
          ? html`<p class="ok" role="status">The chain verifies: ${verdict.events} events, each linked to the one before by its hash.${verdict.head ? ` Head: event #${verdict.head.seq}, ${verdict.head.hash}.` : ''}</p>`
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
<h2>Evidence pack</h2>
<form method="get" action="/ledger/export" class="filters">
<div><label for="export-from">From</label><input id="export-from" name="from" type="date" required value="${new Date(deps.now().getTime() - EXPORT_DAYS * DAY_MS).toISOString().slice(0, 10)}"></div>
<div><label for="export-to">To (included)</label><input id="export-to" name="to" type="date" required value="${deps.now().toISOString().slice(0, 10)}"></div>
<button type="submit">Download the evidence pack</button></form>
<p class="small">The events of the period as JSONL with the chain's links and the head anchored in the footer, the same pack as <code>npx qm audit export</code>; check it offline with <code>npx qm audit verify --file PACK</code>. Anchor the head with <code>npx qm audit anchor --out FILE</code>.</p>`;
    return c.html(page({ title: 'Ledger', path: '/ledger', principal: s.principal, csrf: s.csrf }, body));
  });

  // The evidence pack of [from, to] (whole days, UTC), streamed page by page from one snapshot as it is written.
  app.get('/ledger/export', async (c) => {
    const s = signed(c);
    if (!s) return c.redirect('/sign-in', 303);
    const fromDay = c.req.query('from') ?? '';
    const toDay = c.req.query('to') ?? '';
    const from = dayStart(fromDay);
    const toStart = dayStart(toDay);
    if (!from || !toStart || toStart < from) {
      const body = html`<p class="error" role="alert">Choose a period: from and to are dates (YYYY-MM-DD), from on or before to.</p><p><a href="/ledger">Back to the ledger</a></p>`;
      return c.html(page({ title: 'Ledger', path: '/ledger', principal: s.principal, csrf: s.csrf }, body), 400);
    }
    const out = new PassThrough();
    let written = false;
    // A download cancelled half way must not leave the export waiting for 'drain' inside its transaction forever.
    out.on('error', () => {});
    out.on('close', () => {
      if (!written) out.emit('error', new Error('the download was cancelled'));
    });
    writePack(database, { from, to: new Date(toStart.getTime() + DAY_MS) }, out, { now: deps.now() }).then(
      () => {
        written = true;
        out.end();
      },
      (err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))), // the download is cut short, never passed off as whole
    );
    c.header('Content-Type', 'application/x-ndjson; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="quartermaster-audit-${fromDay}-to-${toDay}.jsonl"`);
    c.header('Cache-Control', 'no-store');
    return c.body(Readable.toWeb(out) as ReadableStream<Uint8Array>);
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
