// A Reply as HTML: the answer or decision first, then the figures, any table, governance's decisions (each linked
// to its approval page), partial-answer notes, the reasoning and sources, and one button per suggested follow-up.
// The same order and words as the Slack and Teams renderings; only the markup differs. An approval the reader may
// decide now is also drawn as the approver's Adaptive Card, whose Approve and Reject post to the approval's decide
// route (the same route, checks and state machine as the Approvals page).
import { html } from 'hono/html';
import type { AdaptiveCardJson } from '../chat/cards/adaptive/card.js';
import { renderReplyCard } from '../chat/cards/adaptive/reply.js';
import { waitingSentence } from '../orchestrator/render-text.js';
import type { ActionDecision, Reply } from '../orchestrator/types.js';
import { csrfField, type Html, table } from './layout.js';

function decision(d: ActionDecision): Html {
  if (d.outcome === 'deny') return html`<li><strong>${d.summary}</strong>: not allowed. ${d.reason}</li>`;
  if (d.outcome === 'auto') return html`<li><strong>${d.summary}</strong>: done under the agent's autonomy. ${d.result ?? ''}</li>`;
  const a = d.approval;
  if (!a) return html`<li><strong>${d.summary}</strong>: needs approval. ${d.reason}</li>`;
  const waiting = a.waitingFor.join('; ') || 'approvers';
  const link = html`<a href="/approvals/${a.number}">approval #${a.number}</a>`;
  return a.attached
    ? html`<li><strong>${d.summary}</strong>: ${waitingSentence(a).replace(`approval #${a.number}`, '')}${link}, which waits for ${waiting}. ${d.reason}</li>`
    : html`<li><strong>${d.summary}</strong>: ${link} requested, waiting for ${waiting}. ${d.reason}</li>`;
}

/** The approver's card of an approval the reader may decide now, by approval number. */
export type DecidableCards = ReadonlyMap<number, AdaptiveCardJson>;

function decideCards(reply: Reply, cards: DecidableCards | undefined, csrf: string): Html {
  const numbers = [...new Set((reply.decisions ?? []).flatMap((d) => (d.approval ? [d.approval.number] : [])))].filter((n) => cards?.has(n));
  if (numbers.length === 0) return html``;
  return html`<section class="decide-cards" aria-label="Your decision">${numbers.map(
    (n) => html`<div class="ac" data-card="${JSON.stringify(cards!.get(n))}" data-decide="/approvals/${n}/decide" data-csrf="${csrf}"><p class="small">You may decide <a href="/approvals/${n}">approval #${n}</a> now.</p></div>`,
  )}</section>`;
}

/** The reply, with follow-up buttons that ask in `thread`, and the cards of approvals the reader may decide now. */
export function replyHtml(reply: Reply, o: { thread: string; csrf: string; decidable?: DecidableCards }): Html {
  const suggestions = [...new Set(reply.suggestions.map((s) => s.trim()).filter((s) => s !== ''))].slice(0, 5);
  return html`<div class="reply">
<p class="headline">${reply.headline || 'No answer.'}</p>
${reply.facts.length > 0 ? html`<dl class="facts">${reply.facts.map((f) => html`<div><dt>${f.label}</dt><dd>${f.value}</dd></div>`)}</dl>` : ''}
${reply.table ? table('Details', reply.table.columns, reply.table.rows, '') : ''}
${reply.decisions && reply.decisions.length > 0 ? html`<ul class="decisions">${reply.decisions.map(decision)}</ul>` : ''}
${decideCards(reply, o.decidable, o.csrf)}
${reply.degraded.length > 0 ? html`<p class="warn">Partial answer: ${reply.degraded.map((d) => `the ${d.agent} agent did not answer (${d.reason})`).join('; ')}.</p>` : ''}
${reply.rationale.length > 0 ? html`<details><summary>Why</summary><p class="small">${reply.rationale.join(' ')}</p></details>` : ''}
${reply.sources.length > 0 ? html`<p class="small">Sources: ${reply.sources.map((s) => `${s.title}${s.ref ? ` (${s.ref})` : ''}`).join(' · ')}</p>` : ''}
<details class="teams"><summary>As Teams shows it</summary><div class="ac" data-card="${JSON.stringify(renderReplyCard(reply))}"></div></details>
${
  suggestions.length > 0
    ? html`<form method="post" action="/ask" class="followups" data-busy>${csrfField(o.csrf)}<input type="hidden" name="thread" value="${o.thread}">
<span class="small">Follow up:</span> ${suggestions.map((s) => html`<button type="submit" name="question" value="${s}">${s}</button> `)}</form>`
    : ''
}
</div>`;
}
