// The supplier agent: who a supplier is, whether a name is sanctioned, what we are exposed to, and duplicate
// master records. A strong sanctions match is a 'block' finding: it outranks any cost argument, and the agent
// proposes putting the supplier on hold (governance decides).
import type { Plan } from '../src/orchestrator/plan/plan.js';
import { type Agent, type AgentOutput, emptyOutput, type Finding, type SupplierMatch } from './agent.js';
import { formatMoney as money } from '../src/domain/money.js';
import type { SupplierToolOutputs } from '../mcp-servers/supplier/tools/index.js';
import { firstLine, type ToolClient, typed } from './tool-client.js';

/** The supplier server's tools, each answering with its own output type. */
const supplierTools = (tools: ToolClient) => typed<SupplierToolOutputs>(tools);

/** The name to screen: the resolved supplier's master name, else the phrase the person used. */
function nameToScreen(plan: Plan): string | undefined {
  return plan.suppliers[0]?.name ?? plan.unresolved[0]?.phrase ?? plan.reading.supplierPhrases[0];
}

async function screen(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const name = nameToScreen(plan);
  if (!name) return { ...emptyOutput('No name given to screen.'), headline: 'Which name should I screen against the sanctions lists?' };
  const r = await supplierTools(tools).call('screen_sanctions', { name: name.slice(0, 300), limit: 5 });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const { matches, verdict } = r.data;
  const findings: Finding[] = [];
  const out: AgentOutput = {
    ...emptyOutput(`Screened "${name}" against the latest imported sanctions lists.`),
    headline: firstLine(r.text),
    // `screened` is what merge checks before it lets a committing proposal naming this supplier through.
    data: { screening: r.data, screened: { name, supplierId: plan.suppliers[0]?.id ?? null, verdict } },
    table: {
      columns: ['Score', 'Listed name', 'List', 'Programmes', 'Why'],
      rows: matches.map((m) => [m.score.toFixed(2), m.entryName, `${m.list.source} ${m.list.version} #${m.entryId}`, m.programs.join(', '), m.why.join('; ')]),
    },
    sources: matches.map((m) => ({ title: `${m.list.source} entry ${m.entryId}: ${m.entryName}`, ref: `sanctions:${m.list.source}:${m.list.version}:${m.entryId}` })),
    findings,
  };
  const best = matches[0];
  if (verdict === 'strong_match' && best) {
    findings.push({
      severity: 'block',
      text: `"${name}" strongly matches ${best.list.source} entry ${best.entryId} ${best.entryName} (${best.programs.join(', ')}; score ${best.score.toFixed(2)})`,
    });
    const supplier = plan.suppliers[0];
    if (supplier) {
      out.actions.push({
        kind: 'put_supplier_on_hold',
        summary: `Put ${supplier.name} on hold pending sanctions review`,
        proposedBy: 'supplier',
        rationale: `Strong sanctions match: ${best.why.join('; ')}`,
        params: { supplierId: supplier.id, listEntry: `${best.list.source}:${best.list.version}:${best.entryId}` },
      });
    }
  } else if (verdict === 'possible_match' && best) {
    findings.push({ severity: 'warning', text: `"${name}" possibly matches ${best.list.source} entry ${best.entryId} ${best.entryName}; a person should review it` });
  }
  return out;
}

async function profile(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const supplier = plan.suppliers[0];
  if (!supplier) return { ...emptyOutput('No supplier resolved.'), headline: 'Which supplier do you mean?' };
  const r = await supplierTools(tools).call('supplier_profile', { supplier: supplier.id });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  return {
    ...emptyOutput(`Profiled ${supplier.name}.`),
    headline: firstLine(r.text),
    data: { profile: r.data },
    facts: profileFacts(r.data),
    findings: r.data.sanctions.verdict === 'strong_match' ? [{ severity: 'block', text: `${supplier.name} strongly matches a sanctions list entry` }] : [],
  };
}

async function risk(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const supplier = plan.suppliers[0];
  if (!supplier) return { ...emptyOutput('No supplier resolved.'), headline: 'Which supplier do you mean?' };
  const r = await supplierTools(tools).call('supplier_risk', { supplier: supplier.id });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const findings: Finding[] = [];
  if (r.data.sanctions.verdict === 'strong_match') findings.push({ severity: 'block', text: `${supplier.name} strongly matches a sanctions list entry` });
  if (r.data.verdict === 'high') findings.push({ severity: 'warning', text: r.data.summary });
  return {
    ...emptyOutput('Weighed risk signals and sanctions screening against our exposure.'),
    headline: firstLine(r.text),
    data: { risk: r.data },
    facts: r.data.exposure.flatMap((e) => [
      { label: 'Active contracts', value: money(e.activeContractValue, e.currency) },
      { label: 'Open purchase orders', value: money(e.openPurchaseOrders, e.currency) },
      { label: 'Unpaid invoices', value: money(e.unpaidInvoices, e.currency) },
      { label: 'Spend, last 12 months', value: money(e.trailing12MonthSpend, e.currency) },
    ]),
    findings,
  };
}

/** The figures of a profile a person looks for first: spend, contract value, open orders, screening. */
function profileFacts(data: SupplierToolOutputs['supplier_profile']): AgentOutput['facts'] {
  const facts: AgentOutput['facts'] = [];
  for (const w of data.spend.byCurrency) {
    facts.push({ label: `Spend, all time (${w.currency})`, value: `${money(w.total, w.currency)} across ${w.count.toLocaleString('en-GB')} payment${w.count === 1 ? '' : 's'}` });
    facts.push({ label: `Spend, last 12 months (${w.currency})`, value: money(w.last12Months, w.currency) });
    if (w.lastDate) facts.push({ label: 'Last paid', value: w.lastDate });
  }
  for (const t of data.activeContractValue) {
    facts.push({ label: 'Active contracts', value: `${money(t.total, t.currency)} (${t.count})` });
  }
  for (const t of data.openPurchaseOrders.totals) facts.push({ label: 'Open purchase orders', value: `${money(t.total, t.currency)} (${t.count})` });
  facts.push({ label: 'Sanctions screening', value: data.sanctions.verdict.replace(/_/g, ' ') });
  return facts;
}

async function duplicates(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const supplier = plan.suppliers[0];
  const r = await supplierTools(tools).call('supplier_duplicates', supplier ? { supplier: supplier.id } : {});
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const { pairs } = r.data;
  return {
    ...emptyOutput('Compared supplier master records by tax id, contact domain, name and aliases.'),
    headline: firstLine(r.text),
    data: { duplicates: r.data },
    ...(pairs.length > 0
      ? {
          table: {
            columns: ['Score', 'Supplier', 'Possible duplicate', 'Evidence'],
            rows: pairs.map((p) => [p.score.toFixed(2), p.a.name, p.b.name, p.evidence.map((e) => e.detail).join('; ')]),
          },
        }
      : {}),
  };
}

/** For a purchase request: screen the supplier and check its risk before any money is committed. */
async function forPurchase(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const screened = await screen(plan, tools);
  const supplier = plan.suppliers[0];
  if (!supplier) {
    screened.findings.push({ severity: 'warning', text: `"${nameToScreen(plan) ?? 'the supplier'}" is not in our supplier master: it would need onboarding first` });
    return screened;
  }
  if (screened.findings.some((f) => f.severity === 'block')) return screened;
  const weighed = await risk(plan, tools);
  return {
    ...screened,
    facts: [...screened.facts, ...weighed.facts],
    findings: [...screened.findings, ...weighed.findings],
    data: { ...screened.data, ...weighed.data },
    rationale: `${screened.rationale} ${weighed.rationale}`,
  };
}

const STATUS_WORDS: Record<string, string> = { on_hold: 'on hold', blocked: 'blocked', inactive: 'inactive', active: 'active' };

/** "Which suppliers are on hold?": every supplier in that master-data status. */
async function byStatus(plan: Plan, tools: ToolClient): Promise<AgentOutput> {
  const status = plan.reading.ask?.supplierStatus ?? 'on_hold';
  const r = await supplierTools(tools).call('find_suppliers', { status, limit: 25 });
  if (r.isError) return { ...emptyOutput(r.text), headline: r.text };
  const { suppliers, matched } = r.data;
  const word = STATUS_WORDS[status] ?? status;
  const out: AgentOutput = {
    ...emptyOutput(`Listed the suppliers whose master-data status is ${word}.`),
    headline:
      matched === 0
        ? `No supplier is ${word}.`
        : `${matched} supplier${matched === 1 ? ' is' : 's are'} ${word}: ${suppliers.map((s) => s.name).join(', ')}${matched > suppliers.length ? ', …' : ''}.`,
    data: { suppliers: r.data },
  };
  if (suppliers.length > 0) out.table = { columns: ['Supplier', 'Status', 'Country'], rows: suppliers.map((s) => [s.name, s.status, s.country ?? '-']) };
  return out;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ranks the suppliers `phrase` may name; a supplier id resolves to that supplier alone. */
async function resolveSupplier(phrase: string, tools: ToolClient): Promise<SupplierMatch[]> {
  if (UUID.test(phrase.trim())) {
    const r = await supplierTools(tools).call('supplier_profile', { supplier: phrase.trim() });
    return r.isError ? [] : [{ id: r.data.supplier.id, name: r.data.supplier.name, score: 1 }];
  }
  const r = await supplierTools(tools).call('find_suppliers', { query: phrase.slice(0, 200), limit: 5 });
  return r.isError ? [] : r.data.suppliers;
}

/** A strong sanctions match the model read (screening, profile or risk) gets this agent's own check. */
function checksAfterReads(reads: Readonly<Record<string, unknown[]>>): { intent: 'sanctions_check'; supplier: string; why: string }[] {
  // The reads are the structured content of these tools, which the server checked against their output schemas.
  const screened = (reads.screen_sanctions ?? []) as SupplierToolOutputs['screen_sanctions'][];
  const profiled = [...(reads.supplier_profile ?? []), ...(reads.supplier_risk ?? [])] as SupplierToolOutputs['supplier_profile' | 'supplier_risk'][];
  const names = [
    ...screened.filter((s) => s.verdict === 'strong_match').map((s) => s.name),
    ...profiled.filter((p) => p.sanctions.verdict === 'strong_match').map((p) => p.supplier.name),
  ];
  return [...new Set(names)].map((supplier) => ({
    intent: 'sanctions_check',
    supplier,
    why: `the language model's reads showed "${supplier}" strongly matching a sanctions list`,
  }));
}

export const supplierAgent: Agent = {
  name: 'supplier',
  server: 'supplier',
  instructions:
    'You answer questions about suppliers: who they are, whether a name matches a sanctions list (explain why), our exposure to them, and duplicate master records. A strong sanctions match blocks any purchase; you may propose putting the supplier on hold, never do it yourself.',
  handles: {
    sanctions_check: screen,
    supplier_profile: profile,
    supplier_risk: risk,
    supplier_duplicates: duplicates,
    suppliers_by_status: byStatus,
    purchase_request: forPurchase,
  },
  proposes: { put_supplier_on_hold: 'sanctions_check' },
  resolveSupplier,
  checksAfterReads,
};
