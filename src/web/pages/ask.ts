// The Ask page: a chat with the orchestrator through the chat core (the same turn pipeline, governance and
// approvals as Slack and Teams). Each thread is one orchestrator conversation, `web:<user id>:<thread>`, so
// follow-ups resolve against its last turn and nobody can open another person's thread. Questions are posted as a
// form and answered with a redirect back to the thread (reloading never asks twice).
import { randomUUID } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { approvalCard } from '../../approvals/card.js';
import { renderApprovalCard } from '../../chat/cards/adaptive/approval.js';
import type { AdaptiveCardJson } from '../../chat/cards/adaptive/card.js';
import type { ChatCore } from '../../chat/core.js';
import type { Database } from '../../db/client.js';
import { conversationHistory, conversationsWithPrefix } from '../../db/conversations.js';
import type { Reply } from '../../orchestrator/types.js';
import { csrfField, page } from '../layout.js';
import { type DecidableCards, replyHtml } from '../reply.js';
import { type Signed, webPerson } from '../signed.js';

const THREAD = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_QUESTION = 4000;

const prefixOf = (userId: string) => `web:${userId}:`;

/** Messages shown after a redirect, by code (the URL never carries text that the page would show). */
const ERRORS = {
  empty: 'Type a question first.',
  long: `Questions are at most ${MAX_QUESTION} characters.`,
  failed: 'The question could not be answered just now; try again in a moment.',
} as const;

/** The approver's card of each approval in `replies` that `user` may decide now (looked up fresh: it may have moved on). */
async function decidableCards(chat: ChatCore, replies: readonly Reply[], user: Parameters<ChatCore['people']['canDecideNow']>[1]): Promise<DecidableCards> {
  const ids = [...new Set(replies.flatMap((r) => (r.decisions ?? []).flatMap((d) => (d.approval ? [d.approval.id] : []))))];
  const cards = new Map<number, AdaptiveCardJson>();
  for (const id of ids) {
    const a = await chat.approvals.get(id);
    if (a && chat.people.canDecideNow(a, user)) cards.set(a.number, renderApprovalCard(approvalCard(a), { forApprover: true }));
  }
  return cards;
}

/** Mounts GET / (the chat) and POST /ask. */
export function mountAsk(app: Hono, deps: { database: Database; chat: ChatCore; signed: Signed }): void {
  const { database, chat, signed } = deps;

  app.get('/', async (c) => {
    const s = signed(c);
    if (!s) return c.redirect('/sign-in', 303);
    const requested = c.req.query('thread') ?? '';
    const thread = THREAD.test(requested) ? requested : randomUUID();
    const prefix = prefixOf(s.principal.user.id);
    const [turns, threads] = await Promise.all([conversationHistory(database, `${prefix}${thread}`), conversationsWithPrefix(database, prefix)]);
    const decidable = await decidableCards(chat, turns.map((t) => t.reply as unknown as Reply), s.principal.user);
    const code = c.req.query('error');
    const error = code && code in ERRORS ? ERRORS[code as keyof typeof ERRORS] : undefined;
    const body = html`<div class="chat">
<aside aria-label="Your conversations"><h2>Conversations</h2>
<p><a href="/?thread=${randomUUID()}">New conversation</a></p>
${threads.length === 0 ? html`<p class="empty">No conversations yet: ask your first question.</p>` : html`<ul class="threads">${threads.map((t) => {
  const id = t.conversationId.slice(prefix.length);
  return html`<li><a href="/?thread=${id}"${id === thread ? html` aria-current="true"` : ''}>${t.first.slice(0, 60)}</a></li>`;
})}</ul>`}
</aside>
<section aria-label="Conversation" class="conversation">
${
  turns.length === 0
    ? html`<p class="empty">Ask about spend, suppliers, contracts or approvals, for example “What did we spend with Dell this year?”, “Which contracts expire in the next 90 days?” or “Can we buy 20 laptops from Dell for £24,000?”.</p>`
    : html`<ol class="turns">${turns.map(
        (t, i) => html`<li${i === turns.length - 1 ? html` id="latest"` : ''}><p class="question"><span class="visually-hidden">You asked: </span>${t.text}</p>
${replyHtml(t.reply as unknown as Reply, { thread, csrf: s.csrf, decidable })}</li>`,
      )}</ol>`
}
${error ? html`<p role="alert" class="error">${error}</p>` : ''}
<form method="post" action="/ask" class="ask" data-busy>${csrfField(s.csrf)}<input type="hidden" name="thread" value="${thread}">
<label for="question">Ask a question</label>
<textarea id="question" name="question" rows="2" maxlength="${MAX_QUESTION}" required></textarea>
<button type="submit">Ask</button>
</form>
</section>
</div>`;
    return c.html(page({ title: 'Ask', path: '/', principal: s.principal, csrf: s.csrf }, body));
  });

  app.post('/ask', async (c: Context) => {
    const s = signed(c);
    if (!s) return c.redirect('/sign-in', 303);
    const form = await c.req.parseBody();
    const thread = typeof form.thread === 'string' && THREAD.test(form.thread) ? form.thread : randomUUID();
    const question = typeof form.question === 'string' ? form.question.replace(/\u0000/g, '').trim() : '';
    const back = (error?: keyof typeof ERRORS) => c.redirect(`/?thread=${thread}${error ? `&error=${error}` : ''}#latest`, 303);
    if (!question) return back('empty');
    if (question.length > MAX_QUESTION) return back('long');
    const answer = await chat.ask({ conversationId: `${prefixOf(s.principal.user.id)}${thread}`, person: webPerson(s.principal), text: question });
    return back(answer.ok ? undefined : 'failed');
  });
}
