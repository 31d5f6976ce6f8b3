// The Approvals pages: the requests waiting for me, all requests by status, and one request with its ask, amount,
// supplier, evidence, policy rule, route and decisions so far. Deciding goes through the chat core's decide (the
// approvals state machine: segregation of duties, one decision per person, row lock against races), exactly as a
// Slack or Teams button does; the buttons show only to someone who may decide now, and the server checks again.
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { approvalAmount, approvalCard } from '../../approvals/card.js';
import type { Approval, ApprovalStatus, DecisionKind } from '../../approvals/types.js';
import type { ChatCore } from '../../chat/core.js';
import { csrfField, type Html, page, table } from '../layout.js';
import { type Signed, webPerson } from '../signed.js';

const STATUSES: readonly ApprovalStatus[] = ['pending', 'approved', 'rejected', 'expired', 'cancelled'];
const DECISIONS: readonly DecisionKind[] = ['approve', 'reject', 'request_changes'];
const human = (s: string) => s.replaceAll('_', ' ');

function rows(list: readonly Approval[]): (string | Html)[][] {
  return list.map((a) => [
    html`<a href="/approvals/${a.number}">#${a.number}</a>`,
    a.summary,
    approvalAmount(a) ?? '—',
    a.supplierName ?? '—',
    human(a.status),
    a.createdAt.slice(0, 10),
  ]);
}

const COLUMNS = ['Number', 'Request', 'Amount', 'Supplier', 'Status', 'Requested'];

/** Mounts /approvals and /approvals/:number (GET, and POST …/decide). */
export function mountApprovalPages(app: Hono, deps: { chat: ChatCore; signed: Signed }): void {
  const { chat, signed } = deps;

  app.get('/approvals', async (c) => {
    const s = signed(c);
    if (!s) return c.redirect('/sign-in', 303);
    const status = STATUSES.find((x) => x === c.req.query('status'));
    const [mine, all] = await Promise.all([
      chat.approvals.list({ status: 'pending', approvableBy: s.principal.user.email }),
      chat.approvals.list({ ...(status ? { status } : {}), limit: 200 }),
    ]);
    const waiting = mine.filter((a) => chat.people.canDecideNow(a, s.principal.user));
    const body = html`<section aria-labelledby="mine"><h2 id="mine">Waiting for you</h2>
${table('Requests you may decide now', COLUMNS, rows(waiting), 'Nothing is waiting for you. Requests that need your decision appear here.')}</section>
<section aria-labelledby="all"><h2 id="all">All requests</h2>
<form method="get" action="/approvals" class="filters"><label for="status">Status</label>
<select id="status" name="status"><option value="">any</option>${STATUSES.map((x) => html`<option value="${x}"${x === status ? ' selected' : ''}>${x}</option>`)}</select>
<button type="submit">Show</button></form>
${table(`Requests${status ? ` (${status})` : ''}`, COLUMNS, rows(all), 'No requests yet. Ask for something in Ask (for example “Can we buy 20 laptops from Dell?”) and any approval it needs appears here.')}</section>`;
    return c.html(page({ title: 'Approvals', path: '/approvals', principal: s.principal, csrf: s.csrf }, body));
  });

  const show = async (c: Context, notice?: { ok: boolean; text: string }, status: 200 | 403 | 409 = 200) => {
    const s = signed(c);
    if (!s) return c.redirect('/sign-in', 303);
    const a = await chat.approvals.get(c.req.param('number') ?? '');
    if (!a) return c.html(page({ title: 'Approval not found', path: '/approvals', principal: s.principal, csrf: s.csrf }, html`<p>No such approval. <a href="/approvals">See all approvals</a>.</p>`), 404);
    const card = approvalCard(a);
    const mayDecide = chat.people.canDecideNow(a, s.principal.user);
    const body = html`${notice ? html`<p class="${notice.ok ? 'ok' : 'error'}" role="${notice.ok ? 'status' : 'alert'}">${notice.text}</p>` : ''}
<p class="headline">${card.ask}</p>
<dl class="facts">${card.fields.map((f) => html`<div><dt>${f.label}</dt><dd>${f.value}</dd></div>`)}
<div><dt>Status</dt><dd>${human(a.status)}</dd></div></dl>
${card.outcome ? html`<p class="outcome">${card.outcome}</p>` : ''}
${card.waitingFor.length > 0 ? html`<p>Waiting for: ${card.waitingFor.join('; ')}</p>` : ''}
<h2>Evidence</h2>${card.evidence.length > 0 ? html`<ul>${card.evidence.map((e) => html`<li><strong>${e.source}</strong>: ${e.text}</li>`)}</ul>` : html`<p class="empty">No evidence was attached.</p>`}
<h2>Policy</h2><p>${card.policy}</p>
<h2>Decisions so far</h2>${card.history.length > 0 ? html`<ol>${card.history.map((h) => html`<li>${h}</li>`)}</ol>` : html`<p class="empty">None yet.</p>`}
${
  mayDecide
    ? html`<h2>Your decision</h2><form method="post" action="/approvals/${a.number}/decide" class="decide" data-busy>${csrfField(s.csrf)}
<label for="reason">Reason (required to reject or ask for changes)</label>
<textarea id="reason" name="reason" rows="2" maxlength="2000"></textarea>
<div class="buttons">${card.buttons.map((b) => html`<button type="submit" name="decision" value="${b.verb}" class="${b.style}">${b.verb === 'request_changes' ? 'Ask for changes' : b.label}</button> `)}</div>
</form>`
    : a.status === 'pending'
      ? html`<p class="small">You cannot decide this step: it waits for ${card.waitingFor.join('; ') || 'its approvers'}, and a requester or someone who already decided may not.</p>`
      : ''
}
<p><a href="/approvals">All approvals</a></p>`;
    return c.html(page({ title: `Approval #${a.number}`, path: '/approvals', principal: s.principal, csrf: s.csrf }, body), status);
  };

  app.get('/approvals/:number', (c) => show(c));

  app.post('/approvals/:number/decide', async (c) => {
    const s = signed(c);
    if (!s) return c.redirect('/sign-in', 303);
    const a = await chat.approvals.get(c.req.param('number'));
    if (!a) return show(c);
    const form = await c.req.parseBody();
    const decision = DECISIONS.find((d) => d === form.decision);
    if (!decision) return show(c, { ok: false, text: 'Choose Approve, Reject or Ask for changes.' }, 409);
    const reason = typeof form.reason === 'string' ? form.reason.replace(/\u0000/g, '').trim() : '';
    if (decision !== 'approve' && !reason) return show(c, { ok: false, text: 'Give a reason to reject or ask for changes.' }, 409);
    const result = await chat.decide({ approvalId: a.id, decision, person: webPerson(s.principal), reason });
    const status = result.status === 'recorded' ? 200 : result.status === 'not_authorised' ? 403 : 409;
    return show(c, { ok: result.status === 'recorded', text: result.message }, status);
  });
}
