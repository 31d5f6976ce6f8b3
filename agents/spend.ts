// The spend agent: totals, top suppliers or categories, breakdowns, trends, comparisons and anomalies, always
// per currency and to the penny. It reads through the spend MCP server only.
import type { Plan } from '../src/orchestrator/plan/plan.js';
import { type Agent, type AgentOutput, emptyOutput } from './agent.js';
import { money } from './format.js';
import { firstLine, rowsOf, type ToolClient } from './tool-client.js';

type Group = { key: string; label: string; currency: string; total: string; count: number };
type Total = { currency: string; total: string; count: number };

function filters(plan: Plan): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (plan.suppliers[0]) f.supplier = plan.suppliers[0].id;
  if (plan.reading.category) f.category = plan.reading.category.slice(0, 200);
  if (plan.period) {
    f.date_from = plan.period.from;
    f.date_to = plan.period.to;
  }
  return f;
}

function scope(plan: Plan): string {
  const who = plan.suppliers[0] ? ` with ${plan.suppliers[0].name}` : '';
  const what = plan.reading.category ? ` on ${plan.reading.category}` : '';
  const when = plan.period ? ` in ${plan.period.label}` : '';
  return `${who}${what}${when}`;
}

function totalsSentence(totals: Total[]): string {
  if (totals.length === 0) return 'nothing';
  return totals.map((t) => `${money(t.total, t.currency)} across ${t.count.toLocaleString('en-GB')} payment${t.count === 1 ? '' : 's'}`).join(' and ');
}

async function summary(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const groupBy = plan.reading.groupBy ?? (plan.reading.intent === 'spend_total' ? 'year' : 'supplier');
  const limit = plan.reading.topN ?? (plan.reading.intent === 'spend_total' ? 50 : 20);
  const r = await tools.call('spend_summary', { group_by: groupBy, ...filters(plan), limit });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const groups = rowsOf<Group>(r.data, 'groups');
  const totals = rowsOf<Total>(r.data, 'totals');
  const s = scope(plan);
  let headline: string;
  if (plan.reading.intent === 'spend_total') {
    headline = totals.length === 0 ? `We have no recorded spend${s}.` : `We spent ${totalsSentence(totals)}${s}.`;
  } else if (plan.reading.intent === 'spend_top' && groups[0]) {
    headline = `Top ${Math.min(limit, groups.length)} ${groupBy === 'supplier' ? 'suppliers' : `${groupBy}s`} by spend${s}: ${groups[0].label} leads with ${money(groups[0].total, groups[0].currency)}. Total ${totalsSentence(totals)}.`;
  } else {
    headline = groups.length === 0 ? `We have no recorded spend${s}.` : `Spend${s} by ${groupBy}: total ${totalsSentence(totals)}.`;
  }
  return {
    ...emptyOutput(`Summed spend lines${s} grouped by ${groupBy}, per currency.`),
    headline,
    data: { summary: r.data },
    table: {
      columns: [groupBy[0]!.toUpperCase() + groupBy.slice(1), 'Total', 'Payments'],
      rows: groups.map((g) => [g.label, money(g.total, g.currency), String(g.count)]),
    },
    facts: totals.map((t) => ({ label: `Total (${t.currency})`, value: money(t.total, t.currency) })),
  };
}

async function trend(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const grain = plan.reading.groupBy === 'quarter' || plan.reading.groupBy === 'year' ? plan.reading.groupBy : 'month';
  const r = await tools.call('spend_trend', { period: grain, ...filters(plan) });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  return { ...emptyOutput(`Totalled spend${scope(plan)} per ${grain} with the change against the previous ${grain}.`), headline: firstLine(r.text), data: { trend: r.data } };
}

async function compare(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  if (plan.suppliers.length < 2) return summary({ ...plan, reading: { ...plan.reading, intent: 'spend_breakdown', groupBy: 'supplier' } }, tools);
  const parts = await Promise.all(
    plan.suppliers.slice(0, 2).map(async (s) => {
      const r = await tools.call('spend_summary', { group_by: 'year', ...filters({ ...plan, suppliers: [s] }) });
      return { supplier: s, totals: r.isError ? [] : rowsOf<Total>(r.data, 'totals'), data: r.data };
    }),
  );
  const when = plan.period ? ` in ${plan.period.label}` : '';
  return {
    ...emptyOutput(`Summed spend${when} for each supplier separately, per currency.`),
    headline: parts.map((p) => `${p.supplier.name}: ${totalsSentence(p.totals)}`).join('; ') + `${when}.`,
    data: { comparison: parts.map((p) => ({ supplier: p.supplier, summary: p.data })) },
  };
}

async function anomalies(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const r = await tools.call('spend_anomalies', { ...filters(plan), limit: 20 });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  return { ...emptyOutput('Looked for duplicate payments, split purchases, price variance and off-contract spend.'), headline: firstLine(r.text), data: { anomalies: r.data } };
}

/** For a purchase request: what have we paid this supplier before? */
async function forPurchase(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const supplier = plan.suppliers[0];
  if (!supplier) return emptyOutput('No spend history: the supplier is not in our master data.');
  const r = await tools.call('spend_summary', { group_by: 'year', supplier: supplier.id, limit: 10 });
  if (r.isError) return emptyOutput(r.text);
  const totals = rowsOf<Total>(r.data, 'totals');
  const out: AgentOutput = {
    ...emptyOutput(`Checked our payment history with ${supplier.name}.`),
    facts: [{ label: `Paid to ${supplier.name} to date`, value: totalsSentence(totals) }],
    data: { history: r.data },
  };
  if (plan.reading.amount) {
    const { value, currency } = plan.reading.amount;
    out.actions.push({
      kind: 'create_purchase_order',
      summary: `Raise a purchase order with ${supplier.name} for ${plan.reading.quantity ? `${plan.reading.quantity} ` : ''}${plan.reading.item ?? 'the goods'} at ${money(value, currency)}`,
      proposedBy: 'spend',
      rationale: `Requested in chat; ${supplier.name} is an existing supplier (${totalsSentence(totals)} paid to date).`,
      params: { supplierId: supplier.id, quantity: plan.reading.quantity, item: plan.reading.item },
      amount: { value, currency },
    });
  }
  return out;
}

export const spendAgent: Agent = {
  name: 'spend',
  server: 'spend',
  instructions:
    'You answer questions about money paid to suppliers: totals, top suppliers and categories, breakdowns, trends and comparisons, per currency and exact to the penny, and you find anomalies (duplicate payments, split purchases, price variance, off-contract spend). You may propose purchase orders; you never raise them yourself.',
  async run(plan, tools) {
    switch (plan.reading.intent) {
      case 'spend_total':
      case 'spend_top':
      case 'spend_breakdown':
        return summary(plan, tools);
      case 'spend_trend':
        return trend(plan, tools);
      case 'spend_compare':
        return compare(plan, tools);
      case 'spend_anomalies':
        return anomalies(plan, tools);
      case 'purchase_request':
        return forPurchase(plan, tools);
      default:
        return emptyOutput();
    }
  },
};
