// The spend agent: totals, top suppliers or categories, breakdowns, trends, comparisons and anomalies, always
// per currency and to the penny. It reads through the spend MCP server only.
import { addDecimal, divideDecimal, subtractDecimal } from '../src/domain/money.js';
import type { Period } from '../src/orchestrator/plan/periods.js';
import type { Plan } from '../src/orchestrator/plan/plan.js';
import { type Agent, type AgentOutput, emptyOutput, type SpendTermMatch } from './agent.js';
import { formatMoney as money } from '../src/domain/money.js';
import type { SpendToolOutputs } from '../mcp-servers/spend/tools/index.js';
import { type ToolClient, typed } from './tool-client.js';

type Total = SpendToolOutputs['spend_summary']['totals'][number];
type Point = SpendToolOutputs['spend_trend']['series'][number]['points'][number];
type Echo = SpendToolOutputs['spend_summary']['filters'];

/** The spend server's tools, each answering with its own output type. */
const spendTools = (tools: ToolClient) => typed<SpendToolOutputs>(tools);

function filters(plan: Plan): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (plan.suppliers[0]) f.supplier = plan.suppliers[0].id;
  if (plan.reading.category) f.category = plan.reading.category.slice(0, 200);
  if (plan.reading.department) f.department = plan.reading.department.slice(0, 200);
  if (plan.period) {
    f.date_from = plan.period.from;
    f.date_to = plan.period.to;
  }
  return f;
}

/** " in March 2025", " since 1 Jan 2026", " between 3 Feb 2026 and 10 Mar 2026": a period as a sentence reads it. */
function during(period: Period | undefined): string {
  if (!period) return '';
  if (/^since\b/i.test(period.label)) return ` ${period.label}`;
  const [from, to, ...rest] = period.label.split(' – ');
  if (period.grain === 'range' && from && to && rest.length === 0) return ` between ${from} and ${to}`;
  return ` in ${period.label}`;
}

/**
 * " with Hewlett-Packard Ltd ("HP") in Finance (HR) on Cleaning in 2012": the scope as the tools resolved it, so a
 * name read loosely (a short name, initials, a substring) is visible in the answer.
 */
function scope(plan: Plan, echo?: Echo): string {
  const s = plan.suppliers[0];
  const who = s ? ` with ${s.name}${s.readAs && s.readAs.toLowerCase() !== s.name.toLowerCase() ? ` ("${s.readAs}")` : ''}` : '';
  const d = echo?.department;
  const dept = d
    ? ` for the ${d.name} department${d.matched_by === 'exact' ? '' : ` ("${plan.reading.department}")`}`
    : plan.reading.department
      ? ` for the ${plan.reading.department} department`
      : '';
  return `${who}${dept}${categoryScope(plan, echo)}${during(plan.period)}`;
}

function categoryScope(plan: Plan, echo?: Echo): string {
  const asked = plan.reading.category;
  if (!asked) return '';
  const cats = echo?.categories ?? [];
  if (echo?.category_matched_by === 'contains' && cats.length > 0) {
    return cats.length === 1 && cats[0]!.toLowerCase() !== asked.toLowerCase()
      ? ` on ${cats[0]} (the only category containing "${asked}")`
      : ` on the ${cats.length} categor${cats.length === 1 ? 'y' : 'ies'} containing "${asked}" (${cats.slice(0, 8).join(', ')}${cats.length > 8 ? ', …' : ''})`;
  }
  return ` on ${asked}`;
}

/** Names the question used that matched nothing, when the answer is about the others: never left out silently. */
function notFound(plan: Plan): string {
  if (plan.suppliers.length === 0) return '';
  const missing = plan.unresolved.filter((u) => u.phrase !== plan.reading.category);
  return missing
    .map((u) => ` I couldn't find a supplier called "${u.phrase}"${u.closest.length > 0 ? ` (closest: ${u.closest.join(', ')})` : ''}, so it is not included.`)
    .join('');
}

/** "Also: Window Cleaning, Office Cleaning (not included)." when the category named exactly has relatives. */
function relatedNote(echo?: Echo): string {
  const related = echo?.related_categories ?? [];
  if (related.length === 0) return '';
  return ` Related categories, not included: ${related.slice(0, 5).map((r) => r.label).join(', ')}${related.length > 5 ? ', …' : ''}.`;
}

function totalsSentence(totals: Total[]): string {
  if (totals.length === 0) return 'nothing';
  return totals.map((t) => `${money(t.total, t.currency)} across ${t.count.toLocaleString('en-GB')} payment${t.count === 1 ? '' : 's'}`).join(' and ');
}

/**
 * When the words read as a category came from a phrase that named no supplier and nothing matched them, the
 * person most likely meant a supplier we do not know: say so, with the closest names, instead of "no spend".
 */
function unknownName(plan: Plan): string | undefined {
  if (plan.suppliers.length > 0) return undefined;
  const u = plan.unresolved.find((x) => x.phrase === plan.reading.category);
  if (!u) return undefined;
  if (u.ambiguous) {
    return `"${u.phrase}" could be any of ${u.closest.length} suppliers: ${u.closest.join(', ')}. Ask again with the one you mean; I have not added them together.`;
  }
  const closest = u.closest.length > 0 ? ` Closest supplier names: ${u.closest.join(', ')}.` : ' No supplier has a similar name.';
  return `I couldn't find a supplier, department or category called "${u.phrase}"${plan.period ? ` with spend${during(plan.period)}` : ''}, so I have no figure for it.${closest}`;
}

// A total reads best with a breakdown a person can scan: by month within a year or less, by year beyond.
function totalGrouping(plan: Plan): 'month' | 'year' {
  const p = plan.period;
  if (!p) return 'year';
  const months = (Number(p.to.slice(0, 4)) - Number(p.from.slice(0, 4))) * 12 + Number(p.to.slice(5, 7)) - Number(p.from.slice(5, 7)) + 1;
  return months <= 24 ? 'month' : 'year';
}

/** "March 2012 vs February 2012", "2012 year on year": each period summed with the same filters, and the change. */
async function periodCompare(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const [a, b] = [plan.period!, plan.comparePeriod!];
  const call = (p: Period) => spendTools(tools).call('spend_summary', { group_by: 'year', ...filters({ ...plan, period: p }), limit: 1 });
  const [ra, rb] = await Promise.all([call(a), call(b)]);
  if (ra.isError) return { ...emptyOutput(ra.text), headline: ra.text };
  if (rb.isError) return { ...emptyOutput(rb.text), headline: rb.text };
  const base = scope({ ...plan, period: undefined }, ra.data.filters);
  const currencies = [...new Set([...ra.data.totals, ...rb.data.totals].map((t) => t.currency))];
  const zero = (c: string): Total => ({ currency: c, total: '0', count: 0 });
  const parts = currencies.map((c) => {
    const x = ra.data.totals.find((t) => t.currency === c) ?? zero(c);
    const y = rb.data.totals.find((t) => t.currency === c) ?? zero(c);
    const change = subtractDecimal(x.total, y.total);
    const pct = Number(y.total) === 0 ? '' : ` (${change.startsWith('-') ? '' : '+'}${((Number(change) / Number(y.total)) * 100).toFixed(1)}%)`;
    return `${totalsSentence([x])}${base}${during(a)}, against ${totalsSentence([y])}${during(b)}: ${signed(change, c)}${pct}`;
  });
  return {
    ...emptyOutput(`Summed spend${base} in each period separately, per currency, with the same filters.`),
    headline: currencies.length === 0 ? `We have no recorded spend${base}${during(a)} or${during(b)}.` : `We spent ${parts.join('; ')}.`,
    data: { comparison: { [a.label]: ra.data, [b.label]: rb.data } },
    facts: currencies.flatMap((c) => [
      { label: `${a.label} (${c})`, value: money(ra.data.totals.find((t) => t.currency === c)?.total ?? '0', c) },
      { label: `${b.label} (${c})`, value: money(rb.data.totals.find((t) => t.currency === c)?.total ?? '0', c) },
    ]),
  };
}

async function summary(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  if (plan.comparePeriod && plan.period && plan.reading.intent === 'spend_total') return periodCompare(plan, tools);
  const groupBy = plan.reading.groupBy ?? (plan.reading.intent === 'spend_total' ? totalGrouping(plan) : 'supplier');
  const limit = plan.reading.topN ?? (plan.reading.intent === 'spend_total' ? 50 : 20);
  const r = await spendTools(tools).call('spend_summary', {
    group_by: groupBy,
    ...filters(plan),
    limit,
    ...(plan.reading.smallestFirst && plan.reading.intent === 'spend_top' ? { order: 'smallest' } : {}),
  });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const { groups, totals } = r.data;
  const s = scope(plan, r.data.filters);
  const unknown = totals.length === 0 ? unknownName(plan) : undefined;
  const data: Record<string, unknown> = { summary: r.data, ...(unknown ? { unknownName: plan.reading.category } : {}) };
  let headline: string;
  if (unknown) {
    headline = unknown;
  } else if (plan.reading.intent === 'spend_total') {
    headline = totals.length === 0 ? `We have no recorded spend${s}.` : `We spent ${totalsSentence(totals)}${s}.`;
  } else if (plan.reading.intent === 'spend_top' && groups[0]) {
    // Every one of the N is named in the answer itself, not only in a table a channel may not show.
    const ranking = groups.map((g, i) => `${i + 1}. ${g.label} ${money(g.total, g.currency)}`).join('; ');
    const plural = groupBy === 'supplier' ? 'suppliers' : groupBy === 'category' ? 'categories' : `${groupBy}s`;
    const which = plan.reading.smallestFirst ? 'Smallest' : 'Top';
    headline = `${which} ${groups.length} ${plural} by spend${s}: ${ranking}. Total ${totalsSentence(totals)}.`;
  } else {
    headline = groups.length === 0 ? `We have no recorded spend${s}.` : `Spend${s} by ${groupBy}: total ${totalsSentence(totals)}.`;
  }
  // Related categories are named even when the one asked for had nothing: they may be what was meant.
  if (!unknown) headline += relatedNote(r.data.filters);
  headline += notFound(plan);
  return {
    ...emptyOutput(`Summed spend lines${s} grouped by ${groupBy}, per currency.`),
    headline,
    data,
    ...(groups.length > 0
      ? {
          table: {
            columns: [groupBy[0]!.toUpperCase() + groupBy.slice(1), 'Total', 'Payments'],
            rows: groups.map((g) => [g.label, money(g.total, g.currency), String(g.count)]),
          },
        }
      : {}),
    facts: totals.map((t) => ({ label: `Total (${t.currency})`, value: money(t.total, t.currency) })),
  };
}

function signed(amount: string, currency: string): string {
  return amount.startsWith('-') ? `-${money(amount.slice(1), currency)}` : `+${money(amount, currency)}`;
}

function trendSentence(points: Point[], currency: string, grain: string): string {
  let total = '0';
  let peak = points[0]!;
  for (const p of points) {
    total = addDecimal(total, p.total);
    if (Number(p.total) > Number(peak.total)) peak = p;
  }
  const last = points.at(-1)!;
  const prev = points.at(-2);
  const change =
    prev && last.change !== null
      ? ` (${last.change_pct === null ? '' : `${last.change_pct.startsWith('-') ? 'down' : 'up'} ${last.change_pct.replace('-', '')}%, `}${signed(last.change, currency)} on ${prev.label})`
      : '';
  const span = points.length === 1 ? `1 ${grain}` : `${points.length} ${grain}s from ${points[0]!.label} to ${last.label}`;
  return `${money(total, currency)} over ${span}; highest ${peak.label} at ${money(peak.total, currency)}; latest ${last.label} ${money(last.total, currency)}${change}`;
}

async function trend(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const grain = plan.reading.groupBy === 'quarter' || plan.reading.groupBy === 'year' ? plan.reading.groupBy : 'month';
  const r = await spendTools(tools).call('spend_trend', { period: grain, ...filters(plan) });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const series = r.data.series.filter((x) => x.points.length > 0);
  const s = scope(plan, r.data.filters);
  const out: AgentOutput = {
    ...emptyOutput(`Totalled spend${s} per ${grain} with the change against the previous ${grain}.`),
    data: { trend: r.data },
  };
  if (series.length === 0) {
    const unknown = unknownName(plan);
    out.headline = unknown ?? `We have no recorded spend${s}.`;
    if (unknown) out.data.unknownName = plan.reading.category;
    return out;
  }
  out.headline = `Spend${s} by ${grain}: ${series.map((x) => trendSentence(x.points, x.currency, grain)).join('; ')}.`;
  out.table = {
    columns: [grain[0]!.toUpperCase() + grain.slice(1), 'Total', 'Payments', 'Change', '%'],
    rows: series.flatMap((x) =>
      x.points.map((p) => [
        p.label,
        money(p.total, x.currency),
        String(p.count),
        p.change === null ? '' : signed(p.change, x.currency),
        p.change_pct === null ? '' : `${p.change_pct}%`,
      ]),
    ),
  };
  return out;
}

const counted = (x: number, one: string, many: string) => `${x.toLocaleString('en-GB')} ${x === 1 ? one : many}`;

/** "How many suppliers did we pay in March 2012?", "number of payments", "average payment": counts, not a total. */
async function count(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const measure = plan.reading.measure ?? 'payments';
  const groupBy = measure === 'categories' ? 'category' : measure === 'departments' ? 'department' : 'supplier';
  const r = await spendTools(tools).call('spend_summary', { group_by: groupBy, ...filters(plan), limit: 1 });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const { totals, group_count: groups } = r.data;
  const s = scope(plan, r.data.filters);
  const paid = totals.reduce((a, t) => a + t.count, 0);
  const all = totals.length > 0 ? ` (${totalsSentence(totals)} in all)` : '';
  // A group is one key in one currency: with several currencies a supplier paid in two would count twice.
  const caveat = totals.length > 1 ? `, counted once per currency` : '';
  const out: AgentOutput = { ...emptyOutput(`Counted spend lines${s}, per currency.`), data: { summary: r.data } };
  const unknown = totals.length === 0 ? unknownName(plan) : undefined;
  if (unknown) out.headline = unknown;
  else if (measure === 'payments') {
    out.headline = `We made ${counted(paid, 'payment', 'payments')}${s}${totals.length > 0 ? `, ${totals.map((t) => money(t.total, t.currency)).join(' and ')} in all` : ''}.`;
  }
  else if (measure === 'average') {
    out.headline =
      totals.length === 0
        ? `We have no recorded spend${s}, so there is no average.`
        : `The average payment${s} was ${totals.map((t) => `${money(divideDecimal(t.total, String(t.count), 2) ?? '0', t.currency)} (${totalsSentence([t])})`).join(' and ')}.`;
  } else if (measure === 'suppliers') out.headline = `We paid ${counted(groups, 'supplier', 'suppliers')}${s}${caveat}${all}.`;
  else if (measure === 'categories') out.headline = `Spend${s} fell in ${counted(groups, 'category', 'categories')}${caveat}${all}.`;
  else out.headline = `${counted(groups, 'department', 'departments')} recorded spend${s}${caveat}${all}.`;
  const value = measure === 'payments' || measure === 'average' ? paid : groups;
  out.facts = [{ label: measure === 'average' || measure === 'payments' ? 'Payments' : `Distinct ${measure}`, value: value.toLocaleString('en-GB') }];
  return out;
}

/** "Has invoice DL-90377 been paid?": its status, the payments against it and any open exception. */
async function invoiceStatus(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const ref = plan.reading.ask?.document;
  if (!ref) return { ...emptyOutput('No invoice number was given.'), headline: 'Which invoice? Give its number, e.g. "Has invoice DL-90377 been paid?".' };
  const r = await spendTools(tools).call('invoice_status', { invoice: ref.slice(0, 100) });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const rows = r.data.invoices;
  return {
    ...emptyOutput(`Read invoice ${ref}: its recorded status and the payments the spend data shows under its number.`),
    headline: r.text.split('\n').join(' '),
    data: { invoice: r.data },
    ...(rows.length > 0
      ? {
          table: {
            columns: ['Invoice', 'Supplier', 'Total', 'Status', 'Paid', 'Last payment', 'PO'],
            rows: rows.map((i) => [i.invoice_number, i.supplier, money(i.total, i.currency), i.status, i.paid_total ? money(i.paid_total, i.currency) : '-', i.last_paid_on ?? '-', i.po_number ?? '-']),
          },
        }
      : {}),
  };
}

/** "What is the status of PO-1003?": received lines and the invoices against the order. */
async function orderStatus(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const ref = plan.reading.ask?.document;
  if (!ref) return { ...emptyOutput('No purchase order number was given.'), headline: 'Which purchase order? Give its number, e.g. "status of PO-1003".' };
  const r = await spendTools(tools).call('purchase_order_status', { po: ref.slice(0, 100) });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  return {
    ...emptyOutput(`Read purchase order ${r.data.po_number}, its receipts and the invoices against it.`),
    headline: r.text,
    data: { order: r.data },
    facts: [
      { label: 'Status', value: r.data.status.replace('_', ' ') },
      { label: 'Total', value: money(r.data.total, r.data.currency) },
      { label: 'Invoiced', value: money(r.data.invoiced, r.data.currency) },
    ],
  };
}

/** The departments or categories of the spend data a phrase names, through find_spend_terms. */
async function resolveSpendTerm(phrase: string, kind: 'department' | 'category', tools: ToolClient): Promise<SpendTermMatch> {
  const r = await spendTools(tools).call('find_spend_terms', { query: phrase.slice(0, 200), kind });
  return r.isError ? { matchedBy: null, matches: [] } : { matchedBy: r.data.matched_by, matches: r.data.matches.map((m) => m.label) };
}

async function compare(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  if (plan.suppliers.length < 2) return summary({ ...plan, reading: { ...plan.reading, intent: 'spend_breakdown', groupBy: 'supplier' } }, tools);
  const parts = await Promise.all(
    plan.suppliers.slice(0, 2).map(async (s) => {
      const r = await spendTools(tools).call('spend_summary', { group_by: 'year', ...filters({ ...plan, suppliers: [s] }) });
      return { supplier: s, totals: r.isError ? [] : r.data.totals, data: r.data };
    }),
  );
  const when = during(plan.period);
  return {
    ...emptyOutput(`Summed spend${when} for each supplier separately, per currency.`),
    headline: parts.map((p) => `${p.supplier.name}: ${totalsSentence(p.totals)}`).join('; ') + `${when}.`,
    data: { comparison: parts.map((p) => ({ supplier: p.supplier, summary: p.data })) },
  };
}

const ANOMALY_NAMES: Record<string, string> = {
  duplicate_payment: 'possible duplicate payment',
  split_purchase: 'possible split purchase',
  price_variance: 'price above contract',
  off_contract: 'off-contract spend',
};

const LOOKED_FOR: Record<string, string> = {
  duplicate_payment: 'possible duplicate payments',
  split_purchase: 'possible split purchases',
  price_variance: 'prices above contract',
  off_contract: 'off-contract spend',
};

async function anomalies(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  // The anomaly checks take no category: a category read from the question would only be rejected.
  const { category: _category, ...f } = filters(plan);
  const kinds = plan.reading.anomalyKinds;
  const r = await spendTools(tools).call('spend_anomalies', { ...f, ...(kinds ? { kinds } : {}), limit: 20 });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const { findings } = r.data;
  const who = plan.suppliers[0] ? ` with ${plan.suppliers[0].name}` : '';
  const when = plan.period ? during(plan.period) : ' in the last 12 months';
  const what = kinds ? kinds.map((k) => LOOKED_FOR[k] ?? k).join(' or ') : 'anomalies';
  const out: AgentOutput = {
    ...emptyOutput(
      `Looked for ${(kinds ?? ['duplicate_payment', 'split_purchase', 'price_variance', 'off_contract']).map((k) => LOOKED_FOR[k] ?? k).join(', ')}${who}${when}. These are leads for a person to review, not conclusions.`,
    ),
    data: { anomalies: r.data },
  };
  if (findings.length === 0) {
    out.headline = `I found no ${what}${who}${when}.`;
    return out;
  }
  const stake = new Map<string, string>();
  for (const x of findings) stake.set(x.currency, addDecimal(stake.get(x.currency) ?? '0', x.amount_at_stake));
  const stakeText = [...stake].map(([c, a]) => money(a, c)).join(' and ');
  const first = findings[0]!;
  out.headline = `Found ${what}${who}${when}: ${findings.length} lead${findings.length === 1 ? '' : 's'}, ${stakeText} at stake. Strongest: ${first.explanation}`;
  out.table = {
    columns: ['Kind', 'Supplier', 'At stake', 'Why'],
    rows: findings.map((x) => [ANOMALY_NAMES[x.kind] ?? x.kind, x.supplier.name, money(x.amount_at_stake, x.currency), x.explanation]),
  };
  out.facts = [...stake].map(([c, a]) => ({ label: `At stake (${c})`, value: money(a, c) }));
  return out;
}

/** For a purchase request: what have we paid this supplier before? */
async function forPurchase(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const supplier = plan.suppliers[0];
  if (!supplier) return emptyOutput('No spend history: the supplier is not in our master data.');
  const r = await spendTools(tools).call('spend_summary', { group_by: 'year', supplier: supplier.id, limit: 10 });
  if (r.isError) return emptyOutput(r.text);
  const { totals } = r.data;
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
  handles: {
    spend_total: summary,
    spend_top: summary,
    spend_breakdown: summary,
    spend_trend: trend,
    spend_compare: compare,
    spend_anomalies: anomalies,
    spend_count: count,
    invoice_status: invoiceStatus,
    po_status: orderStatus,
    purchase_request: forPurchase,
  },
  proposes: { create_purchase_order: 'purchase_request' },
  resolveSpendTerm,
};
