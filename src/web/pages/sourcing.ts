// The Sourcing pages: the sourcing events (RFQs and tenders) by status, newest first, and one event with its scope,
// lines, evaluation criteria and weights, deadline and how many bids are in. The same reads as the sourcing_event
// MCP tool (src/sourcing/detail.ts); bid prices stay sealed here, as they are for everyone but the buyer and
// procurement through analyse_bids.
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { Database } from '../../db/client.js';
import { SOURCING_STATUSES } from '../../db/schema.js';
import { listSourcingEvents, sourcingEventByRef } from '../../db/sourcing.js';
import { formatMoney } from '../../domain/money.js';
import { eventDetail } from '../../sourcing/detail.js';
import { STATUS_TEXT } from '../../sourcing/status.js';
import { page, table } from '../layout.js';
import type { Signed } from '../signed.js';

const LIMIT = 200;

const day = (d: Date | string | null) => (d === null ? '–' : (d instanceof Date ? d : new Date(d)).toISOString().slice(0, 10));

/** Mounts GET /sourcing and GET /sourcing/:number. */
export function mountSourcing(app: Hono, deps: { database: Database; signed: Signed; now: () => Date }): void {
  app.get('/sourcing', async (c) => {
    const s = deps.signed(c);
    if (!s) return c.redirect('/sign-in', 303);
    const status = SOURCING_STATUSES.find((x) => x === c.req.query('status'));
    const events = await listSourcingEvents(deps.database, { ...(status ? { status } : {}), limit: LIMIT });
    const now = deps.now().getTime();
    const rows = events.map((e) => [
      html`<a href="/sourcing/${e.number}">${e.number}</a>`,
      e.title,
      STATUS_TEXT[e.status],
      e.deadline === null ? '–' : `${day(e.deadline)}${e.deadline.getTime() < now ? ' (passed)' : ''}`,
      e.estimatedValue && e.currency ? formatMoney(e.estimatedValue, e.currency) : '–',
    ]);
    const body = html`<form method="get" action="/sourcing" class="filters"><div><label for="status">Status</label>
<select id="status" name="status"><option value="">any</option>${SOURCING_STATUSES.map((x) => html`<option value="${x}"${x === status ? ' selected' : ''}>${STATUS_TEXT[x]}</option>`)}</select></div>
<button type="submit">Show</button></form>
${table(
  `${events.length}${events.length === LIMIT ? '+' : ''} sourcing events${status ? ` (${STATUS_TEXT[status]})` : ''}`,
  ['Number', 'Title', 'Status', 'Deadline', 'Estimated value'],
  rows,
  'No sourcing events yet. Ask to source something (for example “Run an RFQ for 200 laptops”) or draft one with the create_sourcing_draft tool.',
)}`;
    return c.html(page({ title: 'Sourcing', path: '/sourcing', principal: s.principal, csrf: s.csrf }, body));
  });

  app.get('/sourcing/:number', async (c) => {
    const s = deps.signed(c);
    if (!s) return c.redirect('/sign-in', 303);
    const number = c.req.param('number');
    const e = /^\d{1,9}$/.test(number) ? await sourcingEventByRef(deps.database, number) : undefined;
    if (!e) {
      return c.html(page({ title: 'Sourcing event not found', path: '/sourcing', principal: s.principal, csrf: s.csrf }, html`<p>No such sourcing event. <a href="/sourcing">See all sourcing events</a>.</p>`), 404);
    }
    const d = await eventDetail(deps.database, e);
    const facts: [string, string][] = [
      ['Status', d.statusText],
      ['Deadline', d.deadline ? `${d.deadline.slice(0, 16).replace('T', ' ')} UTC` : 'none set'],
      ['Estimated value', d.estimatedValue && d.currency ? formatMoney(d.estimatedValue, d.currency) : '–'],
      ['Category', d.categoryCode ?? '–'],
      ['Requester', d.requester ?? '–'],
      ['Buyer', d.buyer ?? '–'],
      ['Needed from', d.neededFrom ?? '–'],
      ['Bids received', String(d.bids)],
    ];
    const body = html`${d.description ? html`<p>${d.description}</p>` : ''}
<dl class="facts">${facts.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>
${table('Lines', ['Line', 'Item', 'Description', 'Quantity', 'Unit'], d.lines.map((l) => [String(l.lineNo), l.itemCode ?? '–', l.description, l.quantity ?? '–', l.unit ?? '–']), 'No lines yet.')}
${table('Evaluation criteria', ['Criterion', 'Weight'], d.criteria.map((k) => [k.label, `${Math.round(k.weight * 1000) / 10}%`]), 'No criteria set.')}
<h2>Bids</h2><p>${d.bids === 0 ? 'No bids received yet.' : `${d.bids} bid${d.bids === 1 ? '' : 's'} received.`} Prices stay sealed until the deadline; the buyer and procurement compare them with analyse_bids.</p>
${d.award ? html`<h2>Award</h2><p>This event was awarded.</p>` : ''}
<p><a href="/sourcing">All sourcing events</a></p>`;
    return c.html(page({ title: `Sourcing event ${d.number}: ${d.title}`, path: '/sourcing', principal: s.principal, csrf: s.csrf }, body));
  });
}
