// The Ask page's approval cards over real HTTP, signed in: a reply that names an approval the reader may decide now
// carries the approver's Adaptive Card (Approve, Reject and Ask for changes as Action.Execute) bound to that
// approval's decide route with the page's CSRF token; the requester and people of the wrong role get no card; the
// card's post is decided by the same route and checks as the Approvals page (recorded once, refusals shown).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignInLink } from '../../src/access/web-sessions.js';
import type { ApprovalService } from '../../src/approvals/service.js';
import type { Database } from '../../src/db/client.js';
import { recordTurn } from '../../src/db/conversations.js';
import { loadDemo } from '../../src/demo/load.js';
import { createHttpApp } from '../../src/http/app.js';
import { listen, type RunningServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import type { Reply } from '../../src/orchestrator/types.js';
import type { App } from '../../src/runtime.js';
import { openTestApp } from '../helpers/app.js';
import { testDatabases } from '../helpers/databases.js';
import { DEMO_DOMAIN as D, requestDellPurchase } from '../helpers/purchases.js';

const TOKEN = 'web-ask-decide-operator-token-0123456789';
const START = new Date('2026-11-27T12:00:00Z');

/** The decide cards on a page: the route each posts to, its CSRF token and its card. */
function decideCards(page: string): { route: string; csrf: string; card: { actions?: { type: string; verb?: string; title: string; card?: { actions: { verb: string }[] } }[] } }[] {
  return [...page.matchAll(/<div class="ac" data-card="([^"]+)" data-decide="([^"]+)" data-csrf="([^"]+)">/g)].map((m) => ({
    card: JSON.parse(m[1]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')),
    route: m[2]!,
    csrf: m[3]!,
  }));
}

describe.each(testDatabases)('approval cards on the Ask page on $name', ({ open }) => {
  let database: Database;
  let approvals: ApprovalService;
  let qm: App | undefined;
  let server: RunningServer;
  const base = () => `http://127.0.0.1:${server.port}`;
  const get = (path: string, cookie: string) => fetch(`${base()}${path}`, { redirect: 'manual', headers: { cookie } });
  const post = (path: string, form: Record<string, string>, cookie: string) =>
    fetch(`${base()}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, origin: base() },
      body: new URLSearchParams(form).toString(),
    });

  async function signIn(email: string): Promise<{ cookie: string; csrf: string }> {
    const link = await createSignInLink(database, { user: email, createdBy: 'test' }, START);
    const res = await fetch(`${base()}/auth/link`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base() },
      body: new URLSearchParams({ token: link.token }).toString(),
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await (await get('/', cookie)).text())![1]!;
    return { cookie, csrf };
  }

  /** Stores a turn in `email`'s web thread whose reply names approval `number` (as a turn attached to it does). */
  async function threadNaming(email: string, number: number): Promise<string> {
    const a = (await approvals.get(String(number)))!;
    const [user] = await database.query<{ id: string }>('select id::text as id from users where email = $1', [email]);
    const thread = randomUUID();
    const reply: Reply = {
      headline: `A matching request is already waiting: approval #${number}.`,
      facts: [],
      sources: [],
      actions: [],
      decisions: [{ kind: 'create_purchase_order', summary: 'Raise a purchase order with Dell', outcome: 'needs_approval', reason: 'Over the limit.', approval: { id: a.id, number, waitingFor: ['budget holder'], attached: true } }],
      suggestions: [],
      degraded: [],
      rationale: [],
    };
    await recordTurn(database, {
      conversationId: `web:${user!.id}:${thread}`,
      channel: 'web',
      userEmail: email,
      text: 'Can we buy 10 monitors from Dell?',
      planner: 'rule',
      plan: {},
      agents: [],
      reply: reply as unknown as Record<string, unknown>,
      durationMs: 1,
    });
    return thread;
  }

  beforeAll(async () => {
    database = await open();
    await loadDemo({ database, log: silentLogger, today: START });
    qm = await openTestApp(database, { now: () => START });
    approvals = await qm.approvals();
    const orchestrator = await qm.orchestrator();
    const app = createHttpApp({ database, log: silentLogger, now: () => START, mcp: { token: TOKEN, allowedHosts: [] }, orchestrator, approvals });
    server = await listen(app, { port: 0, host: '127.0.0.1', log: silentLogger });
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    await qm?.close();
    await database?.close();
  });

  it('shows the approver the decision card, decides through the approval route once, and shows refusals', async () => {
    const number = await requestDellPurchase(database, approvals, 10, 'monitors', '2400.00');
    const alice = await signIn(`alice.moreno@${D}`);
    const ben = await signIn(`ben.okafor@${D}`);
    const mia = await signIn(`mia.santos@${D}`);

    // The requester and someone of the wrong role see the reply, with no way to decide.
    for (const [email, who] of [[`alice.moreno@${D}`, alice], [`ben.okafor@${D}`, ben]] as const) {
      const thread = await threadNaming(email, number);
      const page = await (await get(`/?thread=${thread}`, who.cookie)).text();
      expect(page).toContain(`href="/approvals/${number}"`);
      expect(decideCards(page), email).toEqual([]);
    }

    // The budget holder gets the approver's card, posting to the decide route with her CSRF token.
    const miaThread = await threadNaming(`mia.santos@${D}`, number);
    const cards = decideCards(await (await get(`/?thread=${miaThread}`, mia.cookie)).text());
    expect(cards).toHaveLength(1);
    expect(cards[0]!.route).toBe(`/approvals/${number}/decide`);
    expect(cards[0]!.csrf).toBe(mia.csrf);
    const actions = cards[0]!.card.actions ?? [];
    expect(actions.find((a) => a.type === 'Action.Execute')?.verb).toBe('approve');
    const reject = actions.find((a) => a.type === 'Action.ShowCard' && a.title === 'Reject');
    expect(reject?.card?.actions[0]?.verb).toBe('reject');

    // What the card posts for Ben (who may not decide) is refused by the route; a reject without a reason too.
    const refused = await post(cards[0]!.route, { _csrf: ben.csrf, decision: 'approve', reason: '' }, ben.cookie);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/role="alert">[^<]*budget holder/);
    expect((await post(cards[0]!.route, { _csrf: mia.csrf, decision: 'reject', reason: '' }, mia.cookie)).status).toBe(409);
    // A post without the CSRF token never reaches the decision.
    expect((await post(cards[0]!.route, { decision: 'approve', reason: '' }, mia.cookie)).status).toBe(403);

    const approved = await post(cards[0]!.route, { _csrf: mia.csrf, decision: 'approve', reason: 'Within budget.' }, mia.cookie);
    expect(approved.status).toBe(200);
    expect(await approved.text()).toMatch(/Approval #\d+ approved by Mia Santos/);
    const again = await post(cards[0]!.route, { _csrf: mia.csrf, decision: 'approve', reason: '' }, mia.cookie);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('role="alert"');
    const decisions = await database.query<{ reason: string | null }>(
      'select d.reason from approval_decisions d join approvals a on a.id = d.approval_id where a.number = $1',
      [number],
    );
    expect(decisions).toEqual([{ reason: 'Within budget.' }]);
    // Once decided, the Ask page no longer offers the card.
    expect(decideCards(await (await get(`/?thread=${miaThread}`, mia.cookie)).text())).toEqual([]);
  });
});
