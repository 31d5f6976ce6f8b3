// The Autonomy page: each agent's envelope (agent × action × category × amount band) with its level, the policy's
// cap, the agreement evidence and what widening needs; the same report as `qm autonomy`.
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { ApprovalService } from '../../approvals/service.js';
import type { Database } from '../../db/client.js';
import { autonomyReport } from '../../governance/autonomy-report.js';
import { page, table } from '../layout.js';
import type { Signed } from '../signed.js';

const human = (s: string) => s.replaceAll('_', ' ');

/** Mounts GET /autonomy. */
export function mountAutonomy(app: Hono, deps: { database: Database; approvals: ApprovalService; signed: Signed }): void {
  app.get('/autonomy', async (c) => {
    const s = deps.signed(c);
    if (!s) return c.redirect('/sign-in', 303);
    const { policyVersion, settings, envelopes } = await autonomyReport(deps.database, deps.approvals.policy);
    const rate = Number(settings.widen.agreementRate) * 100;
    const body = html`<p>Default level: <strong>${human(settings.default)}</strong>. Widening an envelope needs ${rate}% agreement over at
least ${settings.widen.minCases} of the last ${settings.widen.window} decided cases, and an approval. Policy ${policyVersion.slice(0, 19)}.</p>
${table(
  'Envelopes',
  ['Agent', 'Action', 'Category', 'Amount band', 'Level', 'Cap', 'Agreed / decided', 'Pending', 'Next step'],
  envelopes.map((e) => [
    e.agent,
    human(e.actionKind),
    e.category,
    e.band,
    human(e.level),
    human(e.cap),
    e.agreementRate === null ? 'no decided cases' : `${e.agreed}/${e.cases} (${(e.agreementRate * 100).toFixed(1)}%)`,
    String(e.pending),
    e.nextStep,
  ]),
  'No agent has proposed anything yet: every envelope is at the default level.',
)}`;
    return c.html(page({ title: 'Autonomy', path: '/autonomy', principal: s.principal, csrf: s.csrf }, body));
  });
}
