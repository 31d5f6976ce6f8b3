// The sourcing agent: a tender from a sentence, who could supply it and how they score, the RFx, the bids and the
// ways to award them. It reads and records drafts through the sourcing MCP server only; issuing an RFx and
// awarding are proposals (start_sourcing_event, award_contract) that governance decides. Once an event exists,
// candidate search, scoring and the RFx run side by side.
import type { SourcingToolOutputs } from '../mcp-servers/sourcing/tools/index.js';
import { formatMoney } from '../src/domain/money.js';
import type { Plan } from '../src/orchestrator/plan/plan.js';
import { awardAction } from '../src/sourcing/proposals.js';
import { type Agent, type AgentOutput, emptyOutput } from './agent.js';
import { firstLine, type ToolClient, typed } from './tool-client.js';

const sourcingTools = (tools: ToolClient) => typed<SourcingToolOutputs>(tools);

/** The event a question is about: the one it names, else the latest with bids in (said so in the answer). */
async function eventFor(plan: Plan, tools: ToolClient): Promise<{ event?: number; note?: string; error?: string }> {
  const named = plan.reading.sourcing?.event;
  if (named !== undefined) return { event: named };
  const r = await sourcingTools(tools).call('sourcing_event', { event: 'latest-with-bids' });
  if (!r.isError) return { event: r.data.event.number, note: `event ${r.data.event.number} "${r.data.event.title}", the latest with bids` };
  return { error: 'Which sourcing event? Name it by number, e.g. "event 7".' };
}

async function start(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const ask = plan.reading.sourcing ?? {};
  const t = sourcingTools(tools);
  const created = await t.call('create_sourcing_draft', {
    title: ask.title ?? plan.text.slice(0, 300),
    description: plan.text.slice(0, 4000),
    ...(ask.budget ? { budget: ask.budget.value, currency: ask.budget.currency } : {}),
    ...(ask.neededFrom ? { needed_from: ask.neededFrom } : {}),
  });
  if (created.isError) return { ...emptyOutput(created.text), headline: created.text };
  const e = created.data;
  // With the draft in place, identification, scoring and the RFx draft are independent: run them together.
  const [scored, rfx] = await Promise.all([t.call('score_suppliers', { event: e.number, limit: 5 }), t.call('draft_rfx', { event: e.number })]);
  const out = emptyOutput(`Recorded the need as draft event ${e.number} (no approval needed for a draft), scored candidates from our own records and drafted the RFx; issuing it is proposed for approval.`);
  out.data = { event: e, ...(scored.isError ? {} : { candidates: scored.data }), ...(rfx.isError ? {} : { rfx: { uri: rfx.data.uri } }) };
  const candidates = scored.isError ? [] : scored.data.candidates;
  out.headline = `Draft sourcing event ${e.number} "${e.title}" is ready${ask.budget ? ` (budget ${formatMoney(ask.budget.value, ask.budget.currency)})` : ''}: ${candidates.length > 0 ? `${candidates.length} candidate supplier${candidates.length === 1 ? '' : 's'} from our records, ${candidates[0]!.name} scoring highest (${candidates[0]!.total}/100)` : 'no supplier in our records has supplied this before'}; the RFx is drafted and its issue awaits approval.`;
  if (candidates.length > 0) {
    out.table = { columns: ['Supplier', 'Score', 'Why'], rows: candidates.map((c) => [c.name, c.total, c.criteria.map((x) => x.explanation).slice(0, 2).join(' ')]) };
    out.findings = candidates.flatMap((c) => c.warnings.map((w) => ({ severity: 'warning' as const, text: `${c.name} ${w}` })));
  }
  if (scored.isError) out.findings.push({ severity: 'info', text: `Candidate search: ${scored.text}` });
  out.facts = [
    { label: 'Event', value: `${e.number} (${e.status})` },
    ...(ask.neededFrom ? [{ label: 'Needed from', value: ask.neededFrom }] : []),
    ...(rfx.isError ? [] : [{ label: 'RFx', value: `${rfx.data.uri} (${firstLine(rfx.data.markdown).replace(/^#\s*/, '')})` }]),
  ];
  out.sources = rfx.isError ? [] : [{ title: `RFx for event ${e.number}`, ref: rfx.data.uri }];
  out.actions = [
    {
      kind: 'start_sourcing_event',
      summary: `Issue the RFx for sourcing event ${e.number} "${e.title}"`,
      proposedBy: 'sourcing',
      rationale: `Requested in chat: "${plan.text.slice(0, 200)}". ${candidates.length} candidate supplier${candidates.length === 1 ? '' : 's'} known; the RFx is ready at ${rfx.isError ? 'draft_rfx' : rfx.data.uri}.`,
      params: { eventId: e.id, eventNumber: e.number },
      ...(ask.budget ? { amount: ask.budget } : {}),
    },
  ];
  return out;
}

async function candidates(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const need = plan.reading.sourcing?.need ?? plan.text;
  const r = await sourcingTools(tools).call('score_suppliers', { text: need.slice(0, 300), limit: 10 });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const out = emptyOutput(`Searched our own spend, contracts, orders and supplier records for ${r.data.scope.basis}, and scored each candidate on the policy's criteria.`);
  out.headline = firstLine(r.text);
  out.data = { candidates: r.data };
  out.table = { columns: ['Supplier', 'Score', 'Evidence'], rows: r.data.candidates.map((c) => [c.name, c.total, c.criteria.map((x) => x.explanation).join(' ')]) };
  out.findings = r.data.candidates.flatMap((c) => c.warnings.map((w) => ({ severity: 'warning' as const, text: `${c.name} ${w}` })));
  return out;
}

async function bids(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const which = await eventFor(plan, tools);
  if (which.event === undefined) return { ...emptyOutput(which.error!), headline: which.error! };
  const r = await sourcingTools(tools).call('analyse_bids', { event: which.event });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const money = (v: string) => formatMoney(v, r.data.currency);
  const out = emptyOutput(`Analysed the bids of ${which.note ?? `event ${which.event}`}: totals are exact sums of each bidder's lines; complete bids rank first.`);
  out.headline = firstLine(r.text);
  out.data = { bids: r.data };
  out.table = { columns: ['Rank', 'Bidder', 'Total', 'Lines priced', 'Missing'], rows: r.data.bidders.map((b) => [String(b.rank), b.bidder, money(b.total), String(b.lines_priced), String(b.lines_missing)]) };
  out.findings = [
    ...r.data.unbalanced.slice(0, 5).map((u) => ({ severity: 'warning' as const, text: `${u.bidder} prices line ${u.line} (${u.item}) at ${u.ratio}× the others' median: possible front-loading` })),
    ...r.data.flags.slice(0, 8).map((f) => ({ severity: 'info' as const, text: f.text })),
  ];
  return out;
}

async function scenarios(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const which = await eventFor(plan, tools);
  if (which.event === undefined) return { ...emptyOutput(which.error!), headline: which.error! };
  const ask = plan.reading.sourcing ?? {};
  const r = await sourcingTools(tools).call('award_scenarios', { event: which.event, ...(ask.maxShare ? { max_share: Number(ask.maxShare) } : {}), ...(ask.exclude ? { exclude: ask.exclude } : {}) });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const money = (v: string) => formatMoney(v, r.data.currency);
  const out = emptyOutput(`Laid out the award scenarios for ${which.note ?? `event ${which.event}`}${ask.maxShare ? ` with no supplier above ${Number(ask.maxShare) * 100}% (the capped split is a proven optimum)` : ''}.`);
  const capped = r.data.scenarios.find((s) => s.kind === 'split_capped');
  const blocked = r.data.unavailable.find((u) => u.kind === 'split_capped');
  out.headline = capped ? `With no supplier above ${Number(ask.maxShare) * 100}%, the cheapest award for event ${which.event} costs ${money(capped.total)}. ${capped.tradeoff}` : blocked ? `No award for event ${which.event} keeps every supplier under ${Number(ask.maxShare) * 100}%: ${blocked.reason}.` : firstLine(r.text);
  out.data = { scenarios: r.data };
  out.table = { columns: ['Scenario', 'Total', 'Awards', 'Trade-off'], rows: r.data.scenarios.map((s) => [s.kind, money(s.total), s.awards.map((a) => `${a.bidder} ${Math.round(Number(a.share) * 1000) / 10}%`).join(', '), s.tradeoff]) };
  out.findings = r.data.high_risk.map((h) => ({ severity: 'warning' as const, text: `${h.bidder} is high risk (${h.reason})` }));
  return out;
}

async function award(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const which = await eventFor(plan, tools);
  if (which.event === undefined) return { ...emptyOutput(which.error!), headline: which.error! };
  const ask = plan.reading.sourcing ?? {};
  const kind = ask.scenario ?? 'split_lowest';
  const r = await sourcingTools(tools).call('award_scenarios', { event: which.event, ...(ask.maxShare ? { max_share: Number(ask.maxShare) } : {}), ...(ask.exclude ? { exclude: ask.exclude } : {}) });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const chosen = r.data.scenarios.find((s) => s.kind === kind);
  if (!chosen) {
    const why = r.data.unavailable.find((u) => u.kind === kind)?.reason ?? 'it does not apply to these bids';
    return { ...emptyOutput(`No ${kind} scenario: ${why}.`), headline: `Event ${which.event} cannot be awarded by ${kind.replace(/_/g, ' ')}: ${why}.`, data: { scenarios: r.data } };
  }
  const risky = new Set(r.data.high_risk.map((h) => h.supplierId));
  const subject = chosen.awards.find((a) => risky.has(a.supplierId)) ?? chosen.awards[0]!;
  const action = awardAction({
    event: { id: r.data.event_id, number: r.data.event, title: r.data.title, categoryCode: r.data.category },
    currency: r.data.currency,
    chosen,
    alternatives: r.data.scenarios.filter((s) => s !== chosen),
    subjectSupplierId: subject.supplierId,
    ...(ask.maxShare ? { maxShare: ask.maxShare } : {}),
    exclude: ask.exclude ?? [],
  });
  const out = emptyOutput(`Chose the ${kind} scenario for event ${which.event} and proposed the award for approval. ${chosen.tradeoff}`);
  out.headline = `Proposed: ${action.summary}. The authority matrix decides who approves.`;
  // What the orchestrator checks before an award goes forward: each awarded supplier screened in this turn.
  const awarded = new Set(chosen.awards.map((a) => a.supplierId));
  const screened = r.data.screening.filter((x) => awarded.has(x.supplierId));
  out.data = { scenarios: r.data, chosen: chosen.kind, screened: screened.map((x) => ({ supplierId: x.supplierId, verdict: x.verdict })) };
  out.findings = screened
    .filter((x) => x.verdict === 'strong_match' || x.verdict === 'possible_match')
    .map((x) => ({
      severity: x.verdict === 'strong_match' ? ('block' as const) : ('warning' as const),
      text: `${x.bidder} ${x.verdict === 'strong_match' ? 'strongly matches' : 'possibly matches'} "${x.matched}" on the sanctions lists`,
    }));
  out.table = { columns: ['Scenario', 'Total', 'Trade-off'], rows: r.data.scenarios.map((s) => [s.kind + (s === chosen ? ' (chosen)' : ''), formatMoney(s.total, r.data.currency), s.tradeoff]) };
  out.actions = [action];
  return out;
}

export const sourcingAgent: Agent = {
  name: 'sourcing',
  server: 'sourcing',
  actsAsCaller: true,
  instructions:
    'You run strategic sourcing: record a need as a draft sourcing event, find and score candidate suppliers from our own records with the evidence, draft the RFx, analyse bids and lay out award scenarios with their trade-offs (cost, concentration, risk). You propose issuing the RFx and awarding; you never issue, award or contact suppliers yourself.',
  handles: {
    sourcing_start: start,
    sourcing_candidates: candidates,
    sourcing_bids: bids,
    sourcing_scenarios: scenarios,
    sourcing_award: award,
  },
  proposes: { start_sourcing_event: 'sourcing_start', award_contract: 'sourcing_award' },
};
